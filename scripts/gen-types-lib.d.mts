/** Types for gen-types-lib.mjs (used by test/schemas.test.ts). */
export declare const ROOT: string;
export declare const HEADER: string;
export declare const OUTPUT: { streams: string; keys: string; config: string };
export declare function typeName(stream: string): string;
export declare function streamNames(): string[];
/** Repo-relative file path -> generated content. */
export declare function generateTypes(): Promise<Map<string, string>>;
