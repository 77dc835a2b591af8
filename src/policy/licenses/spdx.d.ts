// Typings for the three CommonJS SPDX helpers (they ship none); Node gives `module.exports` as default.
declare module 'spdx-expression-parse' {
  type SpdxNode =
    | { license: string; plus?: boolean; exception?: string }
    | { left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode };
  const parse: (expression: string) => SpdxNode;
  export default parse;
}
declare module 'spdx-satisfies' {
  const satisfies: (expression: string, allowed: string[]) => boolean;
  export default satisfies;
}
declare module 'spdx-correct' {
  const correct: (identifier: string, options?: { upgrade?: boolean }) => string | null;
  export default correct;
}
