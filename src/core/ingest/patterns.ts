// Shapes of page furniture. Each rule describes a kind of line, never a particular site or article.

const SENTENCE_END = /[.!?…]["'”’»)\]]*$/u;
const FUNCTION_WORD_END = /\b(and|or|but|the|a|an|of|to|in|for|with|on|at|by|from|that|as|which|who|its|their|his|her)$/i;

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

export function endsMidSentence(text: string): boolean {
  return /[,;\-–—(]$/.test(text) || FUNCTION_WORD_END.test(text);
}

export function startsLowercase(text: string): boolean {
  return /^\p{Ll}/u.test(text);
}

/** Normal form used to compare lines across and within documents. */
export function boilerplateKey(line: string): string {
  return line.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Lines short enough to be navigation or labels: only these take part in cross-document repetition. */
export function isShortLine(line: string): boolean {
  const t = line.trim();
  return t.length > 0 && t.length <= 100 && wordCount(t) <= 12;
}

/** A line that is only a page number: "3", "- 3 -", "Page 3", "Page 3 of 10", "3 / 10". */
export function isPageNumber(text: string): boolean {
  return /^(?:[-–—]\s*)?(?:(?:page|p\.|pg\.?)\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?(?:\s*[-–—])?$/i.test(text.trim());
}

export function isAllCapsLabel(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

export function hasDomainName(text: string): boolean {
  return /https?:\/\/|www\.|\b[\w-]+\.(com|net|org|co|io|info|news|tv|biz|me|uk|us|ca|au|in|de|fr|jp|kr|cn)\b/i.test(text);
}

// Copyright notices: strong enough to mark a paragraph as footer on their own.
const STRONG_FOOTER = [/©/, /\(c\)\s*(?:19|20)\d\d/i, /\ball rights reserved\b/i, /\bcopyright\s*(?:©|\(c\))?\s*(?:19|20)\d\d/i];

// Vocabulary of privacy, cookie and legal notices; one of these alone also occurs in real reporting.
const WEAK_FOOTER = [
  /\bprivacy (?:policy|statement|notice|settings|centre|center)\b/i,
  /\bcookies?\b/i,
  /\bgdpr\b|\bgeneral data protection regulation\b/i,
  /\bterms (?:of (?:use|service)|and conditions|& conditions)\b/i,
  /\b(?:you|users?) (?:consent|agree)\b/i,
  /\bby (?:using|continuing to (?:use|browse))\b/i,
  /\badvertis(?:ing|ers?|ements?)\b/i,
  /\bnewsletters?\b/i,
  /\bunsubscribe\b/i,
  /\bpersonal (?:data|information)\b/i,
  /\b(?:this|our) (?:web ?)?sites?\b/i,
  /\bfair use\b/i,
  /\bintellectual property\b/i,
  /\bprior written (?:consent|permission)\b/i,
  /\bcopyright\b/i,
];

const ADDRESSES_READER = /\b(?:we|our|us|you|your)\b/i;

export function isFooterText(text: string): boolean {
  if (STRONG_FOOTER.some((re) => re.test(text))) return true;
  const hits = WEAK_FOOTER.filter((re) => re.test(text)).length;
  // Notices speak to the reader ("we use cookies", "you consent"); reporting about privacy rarely does both.
  return hits >= 3 || (hits >= 2 && ADDRESSES_READER.test(text)) || (hits >= 1 && wordCount(text) <= 6);
}

// Calls to action and labels. They only count on lines that are not a real sentence, because "Share prices fell
// sharply on Monday." starts like a share button.
const WIDGET_PREFIXES = [
  /^advert(?:isement|isements|s)?\b/i,
  /^(?:sponsored|promoted|paid)(?: content| post| partner| stories)?\b/i,
  /^ad$/i,
  /^share(?:d)?\b/i,
  /^(?:tweet|pin it|e-?mail|print|whatsapp|facebook|twitter|x|linkedin|reddit|telegram|copy link|flipboard|messenger)\s*\.?$/i,
  /\bsubscribe\b/i,
  /\bnewsletters?\b/i,
  /\bsign (?:up|in)\b/i,
  /^log ?(?:in|out)\b/i,
  /^register\b/i,
  /^follow\b/i,
  /^(?:click|tap) here\b/i,
  /^(?:read|see|view|load|show) (?:more|all|full|the full)\b/i,
  /^(?:read|see) also\b/i,
  /^also read\b/i,
  /^(?:home|menu|search|skip to .*|back to top|top|next|previous|prev|close|open|toggle .*|main menu|navigation|loading\.*)$/i,
  /^(?:image|photo|picture|video|graphic|illustration|file photo)(?: source| caption| credit)?s?\s*[:,]/i,
  /^(?:privacy|terms|cookies?|contact|about|advertise|careers|sitemap|site map|rss|faq|help|accessibility|imprint|disclaimer)(?: (?:policy|statement|notice|settings|preferences|us|of use|of service|with us|and conditions))*\.?$/i,
  /^(?:previous|next) (?:article|post|story)\b/i,
  /^(?:tags?|topics?|filed under|categories|category)\s*:/i,
  /^(?:listen to|print this|email this|save) (?:this )?(?:article|story|page)\b/i,
  /^\d+\s*(?:min(?:ute)?s?|m) read$/i,
];

// Comment-form furniture: specific enough to hold on any short line.
const WIDGET_PHRASES = [
  /your email address will not be published/i,
  /required fields are marked/i,
  /^(?:name|email|e-mail|website|comment|message)\s*\*?$/i,
  /save my name,? email/i,
  /^post comment$/i,
  // "READ MORE: <headline>" inserts point to other stories, whatever the headline looks like.
  /^(?:related|recommended|more|read more|read also|also read|see also|watch|listen|video|opinion|analysis|explainer|live)\s*:/i,
];

export function isWidgetLine(text: string): boolean {
  const words = wordCount(text);
  if (words > 14) return false;
  if (WIDGET_PHRASES.some((re) => re.test(text))) return true;
  if (!(endsSentence(text) && words >= 5) && WIDGET_PREFIXES.some((re) => re.test(text))) return true;
  const tokens = text.split(/\s+/);
  // A line made only of CSS-class-like tokens ("icon-facebook icon-twitter") is leaked markup.
  return tokens.length > 0 && tokens.every((t) => /^[a-z0-9]+(?:[-_][a-z0-9]+)+$/.test(t));
}

/** "A | B | C" or "A • B • C": a menu flattened onto one line. */
export function isSeparatedMenu(text: string): boolean {
  const separators = text.match(/\s[|•·»›]\s/g);
  return separators !== null && separators.length >= 2 && wordCount(text) <= 30 && !endsSentence(text);
}

/** A teaser pointing elsewhere: ends with "read more" or a truncation mark. */
export function isTeaser(text: string): boolean {
  // A bare trailing ellipsis is not enough: quoted speech trails off too.
  return /(?:\[…\]|\[\.\.\.\])\s*$/.test(text) || /\b(?:read more|continue reading|read full (?:story|article)|full story)\s*[»›>.]*$/i.test(text);
}

/**
 * An entry of a reference list: `"Title". Publisher. 2012-08-17. Retrieved 2012-08-18.` or `Festa, Paul (February 9,
 * 2004). "Title". CNET News.` — sources cited, not what the page says.
 */
export function isReferenceEntry(text: string): boolean {
  if (wordCount(text) > 60) return false;
  const retrieved = /\b(?:Retrieved|Accessed|Archived from the original)(?:\s+on)?\s+(?:\d{4}-\d{2}-\d{2}|\p{L}+\s+\d{1,2},\s+\d{4}|\d{1,2}\s+\p{L}+\s+\d{4})\.?\s*$/u.test(text);
  // A title's closing quote follows no sentence punctuation (a quoted sentence's does: "…both countries.”").
  const quotedTitleFirst = /^["“][^"”]{1,200}[^"”.!?,…]["”]\.?\s*(?:[^.]{0,80}\.\s*){0,4}$/u.test(text) && !/\s(?:said|says|told|wrote)\b/.test(text);
  const authorDateTitle = /^[\p{Lu}][\p{L}'’-]+,\s+[\p{Lu}][\p{L}. '’-]{0,40}\s+\([^)]{0,40}\d{4}[^)]{0,10}\)\.\s+["“]/u.test(text);
  return retrieved || quotedTitleFirst || authorDateTitle;
}

const RELATED_HEADING = new RegExp(
  '^(?:' +
    [
      'related(?: links| content| articles?| stories| news| posts| topics| coverage| reading| videos?| items)?',
      'more (?:stories|news|articles|headlines|coverage|from .+|on .+|like this|to read|in .+|top stories)',
      'see also',
      'recommended(?: for you| stories| articles| reading| videos?)?',
      'you (?:may|might) also (?:like|be interested in|enjoy)',
      'most (?:read|popular|viewed|shared|emailed|watched)(?: stories| articles| today| now)?',
      '(?:popular|trending)(?: now| stories| articles| news| posts| today)?',
      'latest (?:news|stories|articles|headlines|videos)',
      'top (?:stories|headlines|news)',
      'also read',
      'further reading',
      "editor'?s'? picks",
      'what to read next',
      'read next',
      'up next',
      '(?:around|from) the web',
      '(?:sponsored|promoted) (?:stories|links|content)',
      'elsewhere on .+',
      "don'?t miss",
      'in other news',
    ].join('|') +
    ')\\s*[:.]?$',
  'i',
);

export function isRelatedHeading(text: string): boolean {
  return wordCount(text) <= 8 && RELATED_HEADING.test(text.trim());
}

const COMMENT_HEADING =
  /^(?:leave a (?:reply|comment)|post a comment|add (?:a|your) comment|write a comment|\d+\s+(?:comments?|responses?|replies)|comments?(?:\s*\(\d+\))?|join the (?:discussion|conversation)|reader comments|discussion|what do you think\??)\s*[:.]?$/i;

export function isCommentHeading(text: string): boolean {
  return wordCount(text) <= 6 && COMMENT_HEADING.test(text.trim());
}

export function isBylineShape(text: string): boolean {
  return /^by\s+\S/i.test(text) && wordCount(text) <= 12 && !/[.!?]["'”’]?$/.test(text.replace(/\b[A-Z]\.$/, ''));
}
