// Deep imports of natural: importing the package root loads database drivers and takes ~2 s.

declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(word: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/tokenizers/regexp_tokenizer.js' {
  export class RegexpTokenizer {
    constructor(options?: { pattern?: RegExp; gaps?: boolean; discardEmpty?: boolean });
    tokenize(text: string): string[] | null;
  }
  export class WordTokenizer extends RegexpTokenizer {}
}

declare module 'natural/lib/natural/sentiment/SentimentAnalyzer.js' {
  export default class SentimentAnalyzer {
    constructor(language: string, stemmer: { stem(word: string): string } | null, type: string);
    vocabulary: Record<string, number>;
    getSentiment(words: string[]): number;
  }
}
