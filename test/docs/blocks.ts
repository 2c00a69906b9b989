/**
 * The executed documentation's pure part (decisions.md 5, docs/README.md): finding the `ts` blocks of a
 * Markdown text with the output each one shows, rewriting a block to run against this checkout and a
 * sandbox, and comparing what a block printed with what its page shows.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';

export interface DocBlock {
  /** The Markdown file, relative to the checkout. */
  file: string;
  /** 1-based line of the block's first code line. */
  line: number;
  code: string;
  /**
   * The `// → …` comments of the code, in order: each is a line the block prints, and they appear
   * in its output in this order.
   */
  marks: string[];
  /** The fenced `text` block shown right after the code: the block's whole output. */
  output?: string[];
}

const FENCE_CLOSE = /^```\s*$/;
/** `// → expected`: the rest of the line after the arrow is one line of output. */
const MARK = /\/\/ → (.*)$/;

/** Extracts the runnable blocks of one Markdown text, with the output each one shows. */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(ts|typescript)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    let previous = i - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous -= 1;
    const skip = (lines[previous] ?? '').trim() === '<!-- no-test -->';
    const start = i + 1;
    let end = start;
    while (end < lines.length && !FENCE_CLOSE.test(lines[end] ?? '')) end += 1;
    i = end;
    if (skip) continue;
    const code = lines.slice(start, end);
    const block: DocBlock = {
      file,
      line: start,
      code: code.join('\n'),
      marks: code.flatMap((l) => {
        const mark = MARK.exec(l);
        return mark ? [(mark[1] ?? '').trimEnd()] : [];
      }),
    };
    const output = outputAfter(lines, end + 1);
    if (output !== undefined) block.output = output;
    blocks.push(block);
  }
  return blocks;
}

/**
 * The lines of a fenced `text` block that starts at `from`, after blank lines and at most one line
 * of prose ending with `:` ("Printed (the port varies):").
 */
function outputAfter(lines: readonly string[], from: number): string[] | undefined {
  let i = from;
  const skipBlank = (): void => {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i += 1;
  };
  skipBlank();
  const prose = lines[i] ?? '';
  if (!prose.startsWith('```') && prose.trimEnd().endsWith(':')) {
    i += 1;
    skipBlank();
  }
  if (!/^```text\s*$/.test(lines[i] ?? '')) return undefined;
  const start = i + 1;
  let end = start;
  while (end < lines.length && !FENCE_CLOSE.test(lines[end] ?? '')) end += 1;
  return lines.slice(start, end);
}

/** Rewrites imports to this checkout's sources and the `const tc = …;` line to a sandbox client. */
export function prepare(code: string, root: string): string {
  const sdkEntry = pathToFileURL(path.join(root, 'src/index.ts')).href;
  const sandboxEntry = pathToFileURL(path.join(root, 'src/sandbox/index.ts')).href;
  let out = code
    .replace(/from\s+(['"])threatconnect\/sandbox\1/g, `from '${sandboxEntry}'`)
    .replace(/from\s+(['"])threatconnect\1/g, `from '${sdkEntry}'`);
  if (/^const tc = .*;\s*$/m.test(out)) {
    out = out.replace(/^const tc = .*;\s*$/m, 'const tc = ThreatConnect.fromEnv();');
    if (!/\bThreatConnect\b[^;]*from/.test(out.split('const tc =')[0] ?? '')) {
      out = `import { ThreatConnect } from '${sdkEntry}';\n${out}`;
    }
  }
  return out;
}

/**
 * Whether a printed line is the one the docs show. Trailing spaces do not count (pages do not keep
 * them), and `…` in the expected line stands for any text, for what varies from run to run: ports,
 * credentials, times.
 */
export function lineMatches(expected: string, actual: string): boolean {
  const pattern = expected
    .trimEnd()
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 'u').test(actual.trimEnd());
}

/** The lines of a block's output, without the end-of-output newline (trailing blank lines dropped). */
export function outputLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Compares the printed output with the page. Returns undefined when it agrees, else what differs:
 * `expected` and `actual` are line lists in which every line that matched is shown as expected, so
 * that a deep-equal assertion points at the lines that did not.
 */
export function compareOutput(
  block: Pick<DocBlock, 'marks' | 'output'>,
  stdout: string,
): { what: string; expected: string[]; actual: string[] } | undefined {
  const actual = outputLines(stdout);
  if (block.output !== undefined) {
    const expected = outputLines(block.output.join('\n'));
    const shown = actual.map((line, k) => {
      const want = expected[k];
      return want !== undefined && lineMatches(want, line) ? want : line;
    });
    if (shown.length !== expected.length || shown.some((line, k) => line !== expected[k])) {
      return { what: 'the output differs from the text block after it', expected, actual: shown };
    }
  }
  // Each `// →` line, in order, is a line of the output after the previous one's.
  let at = 0;
  for (const [k, mark] of block.marks.entries()) {
    const found = actual.findIndex((line, index) => index >= at && lineMatches(mark, line));
    if (found === -1) {
      return {
        what: `the output has no line "${mark}" (// → ${k + 1} of ${block.marks.length}) after line ${at}`,
        expected: block.marks,
        actual,
      };
    }
    at = found + 1;
  }
  return undefined;
}
