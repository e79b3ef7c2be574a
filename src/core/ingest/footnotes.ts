// Reference markers that encyclopedia pages print inline: footnote calls ("[3]", "[a]", "[note 1]"), maintenance
// tags ("[citation needed]") and section "[edit]" links. They are navigation, not prose: left in, a sentence ends
// in ".[" and the next one starts with "3]", and a quote carries them. The HTML parser removes them from the tree
// (html.ts); the text rules below catch the ones that arrive as plain text (a copied article, a page whose markers
// are bare links). Brackets that belong to the prose stay: "a[i]", "[1, 2]", "[sic]", "“[My husband] would…”".

/** Footnote calls: a number, one lowercase letter, or a labelled note ("note 1", "nb 2", "n 3"). */
const CALL = String.raw`\[(?:\d{1,3}|[a-z]|(?:note|nb|n)\s?\d{1,3})\]`;

/**
 * Wikipedia's inline maintenance templates: "[citation needed]", "[clarification needed]", "[who?]",
 * "[according to whom?]", "[dubious – discuss]". Closed lists, so an editorial "[sic]" or "[laughs]" is never one.
 */
const MAINTENANCE = String.raw`\[(?:[a-z]+(?:\s[a-z]+){0,3}\sneeded|who\?|whom\?|when\?|where\?|which\?|why\?|by whom\?|according to whom\?|dubious(?:\s[–—-]\s*discuss)?|discuss|original research\??|vague|unreliable source\?|not in citation given|failed verification|disputed(?:\s[–—-]\s*discuss)?|improper synthesis\?)\]`;

/**
 * A run of calls right after sentence punctuation, a closing quote or a parenthetical remark ("exceptions.[1] The",
 * "Android),[13]", "(on mobile)[2]", "said.”[4][5]"), followed by a line end, more punctuation or a space that
 * does not lead to an operator. A call glued to a word or to a call's parentheses ("a[1] = 2", "f(x)[0]") is left
 * alone: in prose that is rare, in code and formulas it is an index. After a colon it is left too: log lines and
 * code write "merge:[6]". The punctuation must end a word, so "x?.[1]" and "jq .[0]" are not calls either.
 */
const CALLS_AFTER_PUNCTUATION = new RegExp(
  String.raw`(?<=[\p{L}\p{N}%)"”’][.,;!?]|[\p{L}\p{N}.,;!?]["”’]|\([^()]*\s[^()]*\))(?:${CALL})+(?=$|[.,;:!?)]|\s(?!\s*[=+*/<>%&|^-]))`,
  'gmu',
);

/** A maintenance tag, glued to the word or punctuation before it ("forth[citation needed]", "said. [who?]"). */
const MAINTENANCE_TAGS = new RegExp(String.raw`(?<=\S) ?${MAINTENANCE}`, 'g');

/** A section heading's "[edit]" or "[edit source]" link at the end of its line. */
const EDIT_LINK = /(?<=\S) ?\[edit(?: source)?\][ \t]*$/gm;

/** `text` without inline reference markers; everything else, line breaks included, is unchanged. */
export function stripReferenceMarkers(text: string): string {
  if (!text.includes('[')) return text;
  return text.replace(EDIT_LINK, '').replace(MAINTENANCE_TAGS, '').replace(CALLS_AFTER_PUNCTUATION, '');
}

/** The whole text of an inline element that is only a reference marker: "[3]", "[note 1]", "[citation needed]", "[edit]". */
export function isBracketedMarker(text: string): boolean {
  return new RegExp(String.raw`^(?:${CALL}|${MAINTENANCE}|\[edit(?: source)?\])$`).test(text);
}
