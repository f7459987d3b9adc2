/**
 * The Bot Framework CloudAdapter. With an app id configured, every inbound request must carry a
 * valid Bot Framework token; without one (local development only — config refuses it in
 * production) requests are accepted unauthenticated.
 */
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type TurnContext,
} from 'botbuilder';
// botbuilder's own dependency (pinned to the same version); it does not re-export these.
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config';
import { errorFields, type Logger } from '../logger';
import { errorSummary } from './CanShareBot';

export type { CloudAdapter };

/**
 * Overrides where the channel's token-signing keys are fetched from. Setting any one of these
 * endpoint values makes botframework-connector take ALL of them from configuration (unset ones
 * become undefined, and then no token has an allowed issuer), so the public-cloud values are
 * spelled out and only the metadata URL is replaced.
 */
function openIdOverride(metadataUrl: string | undefined): Record<string, string | boolean> {
  if (!metadataUrl) return {};
  return {
    ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

/** jsonwebtoken's error classes (bad or missing signature, wrong algorithm, malformed, not yet valid, expired). */
const JWT_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The SDK's channel-token validation lets jsonwebtoken's own errors escape as plain Errors — a
 * forged signature under a published key id, or an unsigned token, for example — and CloudAdapter
 * answers anything that is not an AuthenticationError with 500. They are authentication failures:
 * this turns them into 401 and logs every refusal (reason only; the token is never logged).
 */
class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    private readonly logger: Logger,
  ) {
    super(options);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      const refused =
        err instanceof Error && JWT_ERROR_NAMES.has(err.name)
          ? new AuthenticationError(`Unauthorized. ${err.message}`, StatusCodes.UNAUTHORIZED)
          : err;
      if (refused instanceof AuthenticationError) {
        // The reason's text can quote the token's claims (attacker-chosen): log its class only.
        this.logger.warn(
          { event: 'auth.refused', reason: errorFields(err).type, channelId: activity.channelId },
          'request refused: invalid or missing token',
        );
      }
      throw refused;
    }
  }
}

export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const auth = new ChannelAuthentication(
    {
      MicrosoftAppId: config.MICROSOFT_APP_ID,
      MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
      MicrosoftAppType: config.MICROSOFT_APP_TYPE,
      MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
      ...openIdOverride(config.BOT_OPENID_METADATA_URL),
    },
    logger,
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error(
      { event: 'turn.error', activityType: context.activity.type, err: errorSummary(error) },
      'unhandled turn error',
    );
    try {
      await context.sendActivity(
        'Sorry — something went wrong on my side, and nothing was recorded. Please try again.',
      );
    } catch (sendError) {
      logger.error(
        { event: 'turn.error_reply_failed', err: errorSummary(sendError) },
        'could not send the error reply',
      );
    }
  };
  return adapter;
}
