/**
 * The summary's chart: decisions by week, stacked by decision, as a small PNG. Drawn by Vega-Lite
 * (compiled to a Vega spec, rendered to SVG on the server — no canvas, no browser) and rasterised
 * by resvg. Only counts go in: no record, case or person is ever part of a chart.
 *
 * Text needs a font, and a server may have none: DejaVu Sans comes with the app (the
 * dejavu-fonts-ttf package), and resvg is given only those files, so every server draws the same.
 */
import { DECISIONS, type DecisionCode } from '../../../domain/contract';
import type { WeekBar } from '../../../storage/teamSummary';

const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 220;

/** Short legend names (the card's FactSet carries the full wording). */
const SHORT: Record<DecisionCode, string> = {
  share_with_consent: 'Share: consent',
  share_not_confidential_or_authorised: 'Share: authorised',
  share_legal_obligation: 'Share: legal duty',
  share_without_consent_justified: 'Share: no consent',
  seek_consent_first: 'Seek consent first',
  do_not_share: 'Do not share',
  seek_advice: 'Seek advice',
  police_disclosure_scheme: 'Disclosure scheme',
  contact_originating_agency: 'Contact originator',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Vega-Lite spec for the weeks (exported for the tests: what is drawn is what was counted). */
export function chartSpec(weeks: readonly WeekBar[]) {
  const label = (w: WeekBar) => `${Number(w.weekStart.slice(8, 10))} ${MONTHS[Number(w.weekStart.slice(5, 7)) - 1]}`;
  const values = weeks.flatMap((w) =>
    DECISIONS.filter((d) => w.decisions[d] > 0).map((d) => ({
      week: label(w),
      decision: SHORT[d],
      count: w.decisions[d],
    })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: CHART_WIDTH - 190,
    height: CHART_HEIGHT - 60,
    background: 'white',
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'week',
        type: 'ordinal',
        title: 'Week starting',
        sort: weeks.map(label),
        scale: { domain: weeks.map(label) },
        axis: { labelAngle: 0 },
      },
      y: { field: 'count', type: 'quantitative', title: 'Decisions', aggregate: 'sum', axis: { tickMinStep: 1 } },
      color: {
        field: 'decision',
        type: 'nominal',
        title: 'Decision',
        legend: { labelLimit: 170 },
        scale: { domain: DECISIONS.map((d) => SHORT[d]), scheme: 'tableau10' },
      },
    },
    config: { font: 'DejaVu Sans', view: { stroke: null } },
  };
}

/** The PNG for the weeks. */
export async function renderChartPng(weeks: readonly WeekBar[]): Promise<Buffer> {
  // Both are ES modules: imported when first needed, so the CommonJS build loads them on Node 22 too.
  const [vega, vegaLite, { Resvg }] = await Promise.all([
    import('vega'),
    import('vega-lite'),
    import('@resvg/resvg-js'),
  ]);
  const compiled = vegaLite.compile(chartSpec(weeks) as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'width', value: CHART_WIDTH },
      background: 'white',
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    }).render();
    return Buffer.from(png.asPng());
  } finally {
    view.finalize();
  }
}
