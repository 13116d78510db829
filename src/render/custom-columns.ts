// kubectl's `-o custom-columns=HEADER:PATH,...`: one column per spec, each path in the
// relaxed JSONPath of kubectl (`.a.b`, `{.a.b}`), values printed as Go prints them,
// several values joined with commas and `<none>` for nothing, laid out by kubectl's tabwriter.
import { goPrint, JsonPathError, JsonPathTemplate, relaxedJsonPath } from './jsonpath.js';
import { renderTable } from './table.js';

export interface CustomColumn {
  header: string;
  path: JsonPathTemplate;
}

/** Parses `NAME:.path,OTHER:.path`; a wrong spec is a JsonPathError with kubectl's message. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new JsonPathError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0)
      throw new JsonPathError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: new JsonPathTemplate(relaxedJsonPath(part.slice(colon + 1))) };
  });
}

export function renderCustomColumns(
  columns: readonly CustomColumn[],
  items: readonly unknown[],
  noHeaders = false,
): string {
  const rows = items.map((item) =>
    columns.map(({ path }) => {
      const values = path.findResults(item);
      if (values.length === 0 || values[0]!.length === 0) return '<none>';
      return values.flat().map(goPrint).join(',');
    }),
  );
  // kubectl's tabwriter: cells at least 6 wide including the 3-space gap.
  return renderTable(
    columns.map((c) => c.header),
    rows,
    { noHeaders, minWidth: 3 },
  );
}
