/** Comparing the identifiers the bot checks access with. */

/** AAD object ids are GUIDs; roles are stored under the lower-case form. */
export const normaliseAadId = (id: string) => id.trim().toLowerCase();

/** The same Entra object id, whatever the case it arrived in (Teams and config differ). */
export const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * An agency's case reference as practitioners type it: 2 to 40 letters, digits and - / . _, no
 * spaces, so it cannot hold a name. Linear-time, and only ever run on text within that length.
 */
export const CASE_REFERENCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/._-]{1,39}$/;
