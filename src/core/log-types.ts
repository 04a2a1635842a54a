/** The logging seam. Every line goes through the secret masker before it is written. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Run `fn` inside a collapsible group (one per phase). */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Output produced by a target (remote or local command). Printed line by line with a `[source]` prefix, masked,
   * and fenced by `::stop-commands::` so it can never act as a workflow command.
   */
  remote(source: string, stream: 'stdout' | 'stderr', text: string): void;
  /** Register a secret: it and its derived forms are masked in everything logged afterwards. */
  addSecret(value: string): void;
  /** `text` with every registered secret masked: for what is kept beyond the log (the journal, reports). */
  mask(text: string): string;
}
