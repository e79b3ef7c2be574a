import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/core/text/question.js';
import { tokenizeSentence, typedSpans } from '../../src/core/answer/typed-spans.js';
import { answerExtractively, pairMatches, type EvidenceModel } from '../../src/core/answer/extractive.js';
import { formatAnswer } from '../../src/commands/format.js';
import { renderAnswer } from '../../src/discord/render/answer.js';
import type { CleanDocument, Passage } from '../../src/core/types.js';

describe('sentence tokens', () => {
  it('carry the offsets of the text they were read from', () => {
    // Tokens repeat and occur inside earlier words; letters outside the BMP, figures with separators, possessives.
    const sentences = [
      "Japan’s Nippon Steel paid $210,000 to an Anand and a Nand in 'Nand's' town, U.S.-based.",
      'a aa a aaa aa. s s’s -- 𝐀𝐁𝐂 says 𝐀𝐁𝐂’s 3.5% rise; 1,500 1,500,000.5% café Zoë’s co.',
      '',
      '...',
    ];
    for (const text of sentences) {
      for (const t of tokenizeSentence(text)) {
        expect(text.slice(t.start, t.end).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[’‘`´]/g, "'").toLowerCase()).toBe(t.word);
      }
    }
    // Where each match of the tokenizer's pattern starts.
    const token = /\p{N}{1,3}(?:,\p{N}{3})+(?:\.\p{N}+)?%?|[\p{L}\p{N}][\p{L}\p{N}'’.%-]*/gu;
    for (const text of sentences) expect(tokenizeSentence(text).map((t) => t.start)).toEqual([...text.matchAll(token)].map((m) => m.index));
  });
});

describe('a title pair', () => {
  it('is found where its pattern matches, without compiling the pattern', () => {
    const texts = [
      'The Big Sick is a film. the big sick, THE BIG\tSICK and big  sicko; xbig sick; big sick𝐀 big\u2028Sick',
      'big sick𝐀 𝐀big sick big\u00a0sick ٣big sick big sick٣ \u0345big sick',
      'BIG SICK: the Kelvin sign (\u212A) in \u212Aeep Calm; KEEP CALM and keep calm',
      // Texts the pattern must read itself: "ſ" matches "s", and "İ" moves lower-cased offsets.
      'big ſick and İ big sick',
    ];
    for (const [first, second] of [['big', 'sick'], ['keep', 'calm']] as const) {
      const source = `(?<![\\p{L}\\p{N}])(${first})\\s+(${second})(?![\\p{L}\\p{N}])`;
      for (const text of texts) {
        const expected = [...text.matchAll(new RegExp(source, 'giu'))].map((m) => [m[1], m[2]]);
        expect(pairMatches(text, text.toLowerCase(), first, second, source)).toEqual(expected);
      }
    }
  });
});

describe('question analysis reads the form of the question', () => {
  it.each([
    ['who did the minister meet in the capital?', 'person', null],
    ['which japanese PM did the president sit down with?', 'person', null],
    ["what's the name of the spokesperson who announced it?", 'person', null],
    ['where did they fire the missile from?', 'place', null],
    ['in which city were the talks held?', 'place', null],
    ['what month and year did he leave office?', 'date', null],
    ['why did relations sour in 2016?', 'reason', null],
    ["what's the minister actually trying to get done in the capital?", 'reason', null],
    ['how long did the talks last?', 'duration', 'time'],
    ['how many hours did the leaders spend talking?', 'duration', 'hour'],
    ['how many billions of dollars in tariffs were at stake?', 'money', 'currency'],
    ['what percentage of voters distrust the plan?', 'percent', 'percent'],
    ['how many of the visiting leaders will he meet one-on-one?', 'count', 'leaders'],
    ['how many new interfaces come with the library?', 'count', 'interfaces'],
    ["what's the name of the photographer behind the picture?", 'person', null],
    ['which guy grabbed the domain name?', 'person', null],
    ['any idea when that feature is gonna ship?', 'date', null],
    ['what is a lattice group?', 'description', null],
    ['what is the capital of the province?', 'place', null],
    ['what did the foreign minister say about the deal?', 'statement', null],
    ['how did the president describe the alliance?', 'statement', null],
    ['what else did the two leaders discuss?', 'list', null],
    ['which war is the backdrop for the talks?', 'thing', null],
    ['how much of the summit is one-on-one time?', 'quantity', 'proportion'],
    ['did the minister admit there are still problems?', 'statement', null],
    ["what's the agency's part in the mission?", 'description', null],
    ['what were people worried about after the vote?', 'description', null],
    ['what made voters sour on the plan?', 'reason', null],
  ])('%s → %s', (question, type, unit) => {
    const analysis = analyzeQuestion(question);
    expect(analysis.type).toBe(type);
    if (unit) expect(analysis.unit).toBe(unit);
  });

  it('knows descriptive answer kinds and the event behind a visit or a predecessor', () => {
    expect(analyzeQuestion('how did people back home take the trip?')).toMatchObject({ type: 'description', answerCue: 'reaction' });
    expect(analyzeQuestion("what's the agency's part in the mission?").answerCue).toBe('role');
    expect(analyzeQuestion('which sectors will the two firms work together in?')).toMatchObject({ type: 'description', answerCue: 'topics' });
    expect(analyzeQuestion('what were people worried about besides the cost?')).toMatchObject({ answerCue: 'concern', excluded: ['cost'] });
    expect(analyzeQuestion('did the minister admit there are problems?').speaker).toEqual(['minister']);
    expect(analyzeQuestion("who's the president going to the capital to see?").focus.map((f) => f.word)).toContain('meet');
    expect(analyzeQuestion('who was the mayor right before her?').focus.map((f) => f.word)).toContain('predecessor');
    expect(analyzeQuestion('what day is the mayor heading to the capital?').focus.map((f) => f.word)).toContain('travel');
    expect(analyzeQuestion('where will the minister go after the summit?').sequel).toBe(true);
    const whoSaid = analyzeQuestion('who said the upgrade was the biggest ever?');
    expect(whoSaid).toMatchObject({ type: 'person', askedSpeaker: true });
    const quoted = 'The plan, unveiled at the Rose Garden, is "the biggest upgrade ever," according to Biden.';
    expect(typedSpans(whoSaid, quoted, tokenizeSentence(quoted), null).map((s) => s.text)).toEqual(['Biden']);
    expect(analyzeQuestion('what time of day did the launch happen?').granularity).toBe('time');
  });

  it('keeps the focus and drops scaffolding, and knows the speaker and date precision', () => {
    const said = analyzeQuestion('what did kim yo jong say tokyo has to do?');
    expect(said.speaker).toEqual(['kim', 'yo', 'jong']);
    expect(said.focus.map((f) => f.word)).toContain('tokyo');
    expect(said.focus.map((f) => f.word)).not.toContain('say');
    expect(analyzeQuestion('so what calendar day is the visit done?')).toMatchObject({ type: 'date', granularity: 'day', datePart: 'end' });
    expect(analyzeQuestion('what month and year did they meet? pls').focus.map((f) => f.word)).not.toContain('pls');
    expect(analyzeQuestion('any idea when that weather thing is gonna ship?').focus.map((f) => f.word)).toEqual(['weather', 'ship']);
  });

  it('keeps a rewritten follow-up’s closing parenthesis as context, not as the asked event', () => {
    const analysis = analyzeQuestion('Is tokyo gonna change course because of them (Ishiba admit sore spots)?');
    expect(analysis.contextTerms).toEqual(expect.arrayContaining(['admit', 'sore']));
    expect(analysis.contextTerms).not.toContain('chang');
  });

  it('reads light-verb paraphrases as the event verb and drops idioms that carry no evidence', () => {
    const focus = (q: string) => analyzeQuestion(q).focus.map((f) => f.word);
    expect(focus('in which city did the two leaders hold talks?')).toEqual(expect.arrayContaining(['meet']));
    expect(focus('where did the ministers sit down together?')).toContain('meet');
    expect(focus('why are they beefing up defences in the first place?')).toEqual(['strengthen', 'defences']);
    expect(focus("what's the envoy trying to get done when he sees the king?")).toEqual(['envoy', 'meet', 'king']);
  });
});

const TEXT = [
  'Leaders meet in Tokyo',
  '',
  'Photo: the two leaders shake hands.',
  '',
  'The leaders of the two neighbours met in Tokyo on Saturday to discuss trade and security.',
  '',
  'President Park will fly to Washington on Sunday for talks with the US president.',
  '',
  'Both countries agreed to cut tariffs to 15 percent under the new trade deal.',
  '',
  'Park said the visit "carries very important meaning" for relations between the neighbours.',
].join('\n');

const DOC: CleanDocument = {
  source: 'tokyo.txt', title: 'Leaders meet in Tokyo', publishedAt: '2025-08-23', dateProvenance: 'dateline', dateConfidence: 1,
  url: null, format: 'txt', text: TEXT, fileHash: 'x', contentHash: 'y',
};
const PASSAGE: Passage = {
  chunk: { id: 'c1', source: DOC.source, start: 0, end: TEXT.length, text: TEXT },
  doc: DOC, score: 1, bm25Score: 1, vectorScore: 1, termCoverage: 1,
};
const DOCUMENTS = new Map([[DOC.source, DOC]]);
const EVIDENCE: EvidenceModel = { idf: () => 1 };
const ask = (question: string) => answerExtractively(question, [PASSAGE], DOCUMENTS, EVIDENCE);

describe('typed extractive answers', () => {
  it('lead with the short answer, then the one verbatim sentence that supports it', () => {
    const answer = ask('Where did the leaders meet on Saturday?');
    expect(answer.refused).toBe(false);
    expect(answer.short).toBe('Tokyo');
    expect(answer.answer).toMatch(/^\*\*Tokyo\*\* — The leaders of the two neighbours met in Tokyo on Saturday/);
    expect(answer.citations).toHaveLength(1);
    expect(TEXT.slice(answer.citations[0]!.start, answer.citations[0]!.end)).toBe(answer.citations[0]!.quote);
  });

  it('work out a relative date from the page’s publication date and say what the page said', () => {
    const answer = ask('What day will President Park fly to Washington?');
    expect(answer.short).toBe('24 August 2025');
    expect(answer.answer).toContain('dated 23 August 2025');
    expect(answer.answer).toMatch(/says "(?:on )?Sunday"/);
  });

  it('refuse a type trap (a dollar amount where the page gives a percentage) without citing the percentage', () => {
    const answer = ask('How many billions of dollars in tariffs did both countries cut under the trade deal?');
    expect(answer.refused).toBe(true);
    expect(answer.type).toBe('money');
    expect(answer.citations.some((c) => c.quote.includes('15 percent'))).toBe(false);
  });

  it('answer "what did X say" with X’s statement', () => {
    const answer = ask('What did Park say about the visit?');
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('carries very important meaning');
  });
});

describe('the asked event and the stated purpose decide between sentences that share the names', () => {
  const text = [
    'Envoy Ines Duarte will fly to Lisbon on Monday, her office said.',
    '',
    'Ines Duarte and the premier met in Madrid on Friday and agreed to expand rail links.',
    '',
    'Duarte will travel to Berlin next week to sign a fisheries agreement with the German government.',
    '',
    "Duarte's visit to Berlin will be the first by an envoy since 2019.",
  ].join('\n');
  const doc: CleanDocument = { ...DOC, source: 'envoy.txt', title: 'Envoy travels', text };
  const passage: Passage = { ...PASSAGE, chunk: { id: 'e1', source: doc.source, start: 0, end: text.length, text }, doc };
  const askEnvoy = (question: string) => answerExtractively(question, [passage], new Map([[doc.source, doc]]), EVIDENCE);

  it('a "where did X meet" question cites the sentence that says they met, not one that only names X', () => {
    const answer = askEnvoy('Where did Ines Duarte sit down with the premier?');
    expect(answer.short).toBe('Madrid');
    expect(answer.citations[0]?.quote).toContain('met in Madrid');
  });

  it('"how long" is answered by a span given as its two ends, "where will X go" by where the trip leads', () => {
    const stay = 'Duarte will stay in Rome from Sunday to Tuesday, her office said.';
    const stayDoc: CleanDocument = { ...doc, text: stay };
    const stayPassage: Passage = { ...passage, chunk: { ...passage.chunk, text: stay, end: stay.length }, doc: stayDoc };
    const answer = answerExtractively('how long will duarte stay in rome?', [stayPassage], new Map([[doc.source, stayDoc]]), EVIDENCE);
    expect(answer.type).toBe('duration');
    expect(answer.short).toBe('Sunday to Tuesday');
    // "how many years" is not answered by a range of days.
    expect(answerExtractively('how many years will duarte stay in rome?', [stayPassage], new Map([[doc.source, stayDoc]]), EVIDENCE).refused).toBe(true);
    expect(askEnvoy('where will duarte head next week?').short).toBe('Berlin');
  });

  it('a role owned by someone the sentence does not name is no answer ("the premier of Norway")', () => {
    expect(askEnvoy('who is the premier of Norway?').refused).toBe(true);
  });

  it('a "why is X going to Y" question gives the purpose ("to sign…") and no loosely related second sentence', () => {
    const answer = askEnvoy('why is duarte going to berlin?');
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('to sign a fisheries agreement');
    expect(answer.answer).not.toContain('since 2019');
  });
});

describe('sources are grouped per document', () => {
  const base = { source: 'tokyo.txt', title: 'Leaders meet in Tokyo', date: '2025-08-23', url: null };
  const grouped = {
    question: 'q', answer: 'One [1] Two [2]', refused: false, mode: 'extractive' as const,
    citations: [
      { ...base, n: 1, quote: 'first quote', start: 0, end: 11 },
      { ...base, n: 2, quote: 'second quote', start: 20, end: 32 },
    ],
  };

  it('in the terminal: one title, both quotes under it', () => {
    const text = formatAnswer(grouped);
    expect(text.split('Leaders meet in Tokyo').length - 1).toBe(1);
    expect(text).toContain('[1][2] Leaders meet in Tokyo');
    expect(text).toContain('“first quote”');
    expect(text).toContain('“second quote”');
  });

  it('in Discord: one source line carrying both numbers', () => {
    const field = renderAnswer(grouped, '1').embeds.at(-1)!.fields![0]!;
    expect(field.value.split('\n')).toHaveLength(1);
    expect(field.value).toMatch(/^\*\*\[1\]\[2\]\*\* Leaders meet in Tokyo/);
  });
});
