// A block of text redrawn in place on a terminal (Ink): `list --watch` shows its table so,
// as `watch kubectl get ...` would. Never loaded in pipes.
import { type Instance, render, Text } from 'ink';

export class LiveText {
  private instance: Instance | undefined;

  show(text: string): void {
    const view = <Text>{text.replace(/\n$/, '')}</Text>;
    if (this.instance) this.instance.rerender(view);
    else this.instance = render(view, { patchConsole: false, exitOnCtrlC: false });
  }
}
