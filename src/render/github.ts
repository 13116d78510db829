// GitHub Actions workflow commands: one annotation per finding,
// `::error file=F,line=L,title=CODE::message`, escaped as the runner expects (data: % CR
// LF; property values also : and ,). info findings become notices. Pure.
import type { Finding, Severity } from '../model/finding.js';
import type { ObjectRef, Origin } from '../model/kube-object.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithub(findings: Finding[], locate?: (subject: ObjectRef) => Origin | undefined): string {
  return findings
    .map((f) => {
      const origin = locate?.(f.subject);
      const props: string[] = [];
      if (origin?.file && origin.file !== '<stdin>') {
        props.push(`file=${escapeProperty(origin.file)}`);
        if (origin.line) props.push(`line=${origin.line}`);
      }
      const subject = `${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
      props.push(`title=${escapeProperty(`${f.code} (${subject})`)}`);
      return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${f.message}\nFix: ${f.fix}`)}\n`;
    })
    .join('');
}
