export declare const root: string;
export declare const entries: Record<string, string>;
export interface ApiReport {
  name: string;
  file: string;
  text: string;
  names: number;
  values: number;
  internal: string[];
  functions: string[];
}
export declare function buildReports(): ApiReport[];
