// What a renderer knows of the terminal it writes for.
export interface RenderContext {
  color: boolean;
  /** Terminal width when stdout is a TTY, else undefined (no wrapping or truncation). */
  columns: number | undefined;
  tty: boolean;
}
