#!/usr/bin/env node
// Generates one man page per command (man/exposectl-<command>.1) and man/exposectl.1
// from oclif.manifest.json, so that man pages always match the command definitions.
// Usage: node scripts/gen-man.js [outDir]   (default: man/)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = process.argv[2] ?? join(root, 'man');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const EXIT_STATUS = [
  ['0', 'Success, and no finding at or above --fail-on.'],
  ['1', 'Runtime failure: cluster unreachable, API error, a probe could not run.'],
  ['2', 'Usage error or invalid input; nothing was changed.'],
  ['3', 'Findings at or above --fail-on.'],
];
const ENVIRONMENT = [
  ['KUBECONFIG', 'Colon-separated kubeconfig files, merged as kubectl does.'],
  ['NO_COLOR', 'When set and not empty, output is never coloured.'],
  ['DEBUG', 'DEBUG=exposectl prints details (stack traces, API requests) on stderr.'],
];

/** Escapes text for roff: backslashes, leading dots and quotes, hyphens in options. */
const esc = (text) =>
  String(text ?? '')
    .replace(/\\/g, '\\e')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/-/g, '\\-');
const bin = pkg.oclif.bin;

function flagLine(name, flag) {
  const long = `\\-\\-${esc(name)}`;
  const short = flag.char ? `\\-${flag.char}, ` : '';
  const value =
    flag.type === 'option' ? ` \\fI${esc(flag.options ? flag.options.join('|') : name.toUpperCase())}\\fR` : '';
  const more = [flag.summary ?? flag.description ?? ''];
  if (flag.default !== undefined && flag.default !== false) more.push(`Default: ${flag.default}.`);
  if (flag.multiple) more.push('May be repeated.');
  return `.TP\n.B ${short}${long}${value}\n${esc(more.join(' '))}\n`;
}

function page(id, cmd) {
  const name = `${bin}-${id.replace(/:/g, '-')}`;
  const words = id.replace(/:/g, ' ');
  const args = Object.values(cmd.args ?? {})
    .map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`))
    .join(' ');
  const flags = Object.entries(cmd.flags ?? {})
    .filter(([, f]) => !f.hidden)
    .sort(([a], [b]) => a.localeCompare(b));
  let out = `.TH "${name.toUpperCase()}" 1 "" "${bin} ${pkg.version}" "User Commands"\n`;
  out += `.SH NAME\n${esc(name)} \\- ${esc(cmd.summary ?? '')}\n`;
  out += `.SH SYNOPSIS\n\\fB${bin} ${esc(words)}\\fR ${args ? `${esc(args)} ` : ''}[\\fIOPTIONS\\fR]\n`;
  out += `.SH DESCRIPTION\n${esc(cmd.description ?? cmd.summary ?? '').replace(/\n\n/g, '\n.PP\n')}\n`;
  if ((cmd.aliases ?? []).length > 0) out += `.PP\nAliases: ${esc(cmd.aliases.join(', '))}.\n`;
  out += `.SH OPTIONS\n${flags.map(([n, f]) => flagLine(n, f)).join('')}`;
  const examples = cmd.examples ?? [];
  if (examples.length > 0) {
    out += '.SH EXAMPLES\n';
    for (const ex of examples) {
      const command = (typeof ex === 'string' ? ex : ex.command)
        .replace(/<%= config.bin %>/g, bin)
        .replace(/<%= command.id %>/g, words);
      if (typeof ex !== 'string') out += `.PP\n${esc(ex.description)}\n`;
      out += `.PP\n.RS 4\n.nf\n${esc(command)}\n.fi\n.RE\n`;
    }
  }
  out += `.SH EXIT STATUS\n${EXIT_STATUS.map(([c, t]) => `.TP\n.B ${c}\n${esc(t)}\n`).join('')}`;
  out += `.SH ENVIRONMENT\n${ENVIRONMENT.map(([c, t]) => `.TP\n.B ${c}\n${esc(t)}\n`).join('')}`;
  out += `.SH SEE ALSO\n${esc(bin)}(1)\n`;
  return [`${name}.1`, out];
}

function indexPage(ids) {
  let out = `.TH "${bin.toUpperCase()}" 1 "" "${bin} ${pkg.version}" "User Commands"\n`;
  out += `.SH NAME\n${bin} \\- ${esc(pkg.description)}\n`;
  out += `.SH SYNOPSIS\n.B ${bin}\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.SH COMMANDS\n`;
  for (const id of ids)
    out += `.TP\n.B ${esc(id.replace(/:/g, ' '))}\n${esc(manifest.commands[id].summary ?? '')} See ${bin}\\-${esc(id.replace(/:/g, '-'))}(1).\n`;
  out += `.SH EXIT STATUS\n${EXIT_STATUS.map(([c, t]) => `.TP\n.B ${c}\n${esc(t)}\n`).join('')}`;
  out += `.SH ENVIRONMENT\n${ENVIRONMENT.map(([c, t]) => `.TP\n.B ${c}\n${esc(t)}\n`).join('')}`;
  return [`${bin}.1`, out];
}

// Only exposectl's own commands (not the help/autocomplete plugins' ones).
const ids = Object.keys(manifest.commands)
  .filter((id) => manifest.commands[id].pluginType === 'core')
  .sort();
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(outDir)) if (file.endsWith('.1')) rmSync(join(outDir, file));
for (const [file, text] of [indexPage(ids), ...ids.map((id) => page(id, manifest.commands[id]))]) {
  writeFileSync(join(outDir, file), text);
}
