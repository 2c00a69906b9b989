/**
 * `threatconnect add indicator VALUE` (or `--from-file FILE`) and `add group TYPE NAME` (decisions.md
 * 4): objects built with the SDK's containers and setters, then `commit()`ed. Each object created
 * (or updated: creating a value that exists updates it) is printed to stdout as one JSON line.
 */
import { readFileSync, statSync } from 'node:fs';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { IndicatorType, RequestObject, type ThreatConnect, ValidationError } from '../../index.js';
import { CliError, describeError } from '../cli-error.js';
import { addConnectionOptions, type ConnectionFlags, connect } from '../connection.js';
import { collect, integer, isoDate, text } from '../parsers.js';
import { createProgress } from '../progress.js';
import { groupView, indicatorView } from '../records.js';
import { action, type CommandContext, interrupted } from './context.js';

const INDICATOR_TYPES = {
  address: IndicatorType.ADDRESSES,
  emailAddress: IndicatorType.EMAIL_ADDRESSES,
  file: IndicatorType.FILES,
  host: IndicatorType.HOSTS,
  url: IndicatorType.URLS,
} as const;
type IndicatorTypeName = keyof typeof INDICATOR_TYPES;

/** A type as a `--from-file` row may name it: `host`, `Host`, `hosts`, `emailAddress`, `EmailAddress`… */
function indicatorTypeOf(name: string): IndicatorType | undefined {
  const key = name.trim().toLowerCase();
  for (const [typeName, type] of Object.entries(INDICATOR_TYPES)) {
    const singular = typeName.toLowerCase();
    const plural = singular.endsWith('s') ? `${singular}es` : `${singular}s`;
    if (key === singular || key === plural) return type;
  }
  return undefined;
}

/** A rating from 0 to 5, fractions allowed (as the API takes it). */
function rating(flag: string) {
  return (value: string): number => {
    const n = /^\+?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || n < 0 || n > 5)
      throw new InvalidArgumentError(`${flag} must be a number from 0 to 5`);
    return n;
  };
}

interface IndicatorFlags extends ConnectionFlags {
  type?: IndicatorTypeName;
  owner?: string;
  rating?: number;
  confidence?: number;
  description?: string;
  tag?: string[];
  securityLabel?: string[];
  fromFile?: string;
}

/** What one indicator is made of: the flags, or a `--from-file` row over the flags. */
interface IndicatorSpec {
  value: string;
  type: IndicatorType | undefined;
  owner: string | undefined;
  rating: number | undefined;
  confidence: number | undefined;
  description: string | undefined;
  tags: readonly string[];
  securityLabels: readonly string[];
}

type IndicatorObject = ReturnType<ReturnType<ThreatConnect['indicators']>['add']>;

/** The SDK's advice for a value no pattern matches, which names SDK calls rather than flags. */
const SDK_DETECTION_HINT =
  '(pass an IndicatorType to skip detection, or change the patterns with setIndicatorRegex())';

function buildIndicator(tc: ThreatConnect, spec: IndicatorSpec): IndicatorObject {
  let indicator: IndicatorObject;
  try {
    indicator = tc.indicators().add(spec.value, spec.owner, spec.type);
  } catch (error) {
    if (error instanceof ValidationError && error.message.endsWith(SDK_DETECTION_HINT)) {
      throw new ValidationError(
        `${error.message.slice(0, -SDK_DETECTION_HINT.length)}(give --type to skip detection)`,
      );
    }
    throw error;
  }
  if (spec.rating !== undefined) indicator.setRating(spec.rating);
  if (spec.confidence !== undefined) indicator.setConfidence(spec.confidence);
  if (spec.description !== undefined) indicator.setDescription(spec.description);
  for (const tag of spec.tags) indicator.addTag(tag);
  for (const label of spec.securityLabels) indicator.addSecurityLabel(label);
  return indicator;
}

/** Whether the indicator already exists in its owner (a create of it is then an update). */
async function exists(tc: ThreatConnect, indicator: IndicatorObject, signal: AbortSignal): Promise<boolean> {
  const branch = indicator.kind?.branch;
  if (branch === undefined) return false;
  const ro = new RequestObject()
    .setHttpMethod('GET')
    .setRequestUri(`/v2/indicators/${branch}/${encodeURIComponent(indicator.referenceValue)}`);
  if (indicator.ownerName !== undefined) ro.setOwner(indicator.ownerName);
  const response = await tc.apiRequest(ro, { signal });
  return response.status === 200;
}

// ---- --from-file ------------------------------------------------------------------------------

const COLUMNS = ['value', 'type', 'rating', 'confidence', 'description', 'tags', 'owner'] as const;
type Column = (typeof COLUMNS)[number];

export interface FileRow {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly fields: Partial<Record<Column, string>>;
}

export interface FileProblem {
  readonly line: number;
  readonly reason: string;
}

/** Splits one CSV line (RFC 4180 quoting, `""` for a quote inside quotes). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let started = false;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && !started) {
      quoted = true;
      started = true;
    } else if (c === ',') {
      out.push(field);
      field = '';
      started = false;
    } else {
      field += c;
      if (c !== ' ' && c !== '\t') started = true;
    }
    i += 1;
  }
  if (quoted) throw new Error('a quoted field is not closed (fields cannot span lines)');
  out.push(field);
  return out;
}

/**
 * Reads a `--from-file` text: one value per line, or CSV with the columns
 * `value,type,rating,confidence,description,tags,owner` (a header line naming them, in any order
 * and any subset including `value`, may come first). Blank lines and lines whose first non-blank
 * character is `#` are skipped; a line that cannot be read is a problem with its line number.
 */
export function parseIndicatorFile(content: string): { rows: FileRow[]; problems: FileProblem[] } {
  const rows: FileRow[] = [];
  const problems: FileProblem[] = [];
  let columns: readonly Column[] = COLUMNS;
  let first = true;
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    let cells: string[];
    try {
      cells = splitCsv(raw).map((c) => c.trim());
    } catch (error) {
      problems.push({ line, reason: (error as Error).message });
      first = false;
      return;
    }
    if (first) {
      first = false;
      const names = cells.map((c) => c.toLowerCase());
      if (names.includes('value') && names.every((n) => (COLUMNS as readonly string[]).includes(n))) {
        columns = names as Column[];
        return;
      }
    }
    if (cells.length > columns.length) {
      problems.push({
        line,
        reason: `${cells.length} fields, more than the ${columns.length} columns (${columns.join(',')})`,
      });
      return;
    }
    const fields: Partial<Record<Column, string>> = {};
    columns.forEach((column, i) => {
      const cell = cells[i];
      if (cell !== undefined && cell !== '') fields[column] = cell;
    });
    if (fields.value === undefined) {
      problems.push({ line, reason: 'no value' });
      return;
    }
    rows.push({ line, fields });
  });
  return { rows, problems };
}

/** A row's spec over the flags' defaults, or why the row is invalid. */
function rowSpec(row: FileRow, defaults: IndicatorSpec): IndicatorSpec | string {
  const f = row.fields;
  let type = defaults.type;
  if (f.type !== undefined) {
    type = indicatorTypeOf(f.type);
    if (type === undefined)
      return `unknown type ${JSON.stringify(f.type)} (address, emailAddress, file, host or url)`;
  }
  let ratingValue = defaults.rating;
  if (f.rating !== undefined) {
    try {
      ratingValue = rating('rating')(f.rating);
    } catch (error) {
      return `${(error as Error).message}, got ${JSON.stringify(f.rating)}`;
    }
  }
  let confidence = defaults.confidence;
  if (f.confidence !== undefined) {
    try {
      confidence = integer('confidence', 0, 100)(f.confidence);
    } catch (error) {
      return `${(error as Error).message}, got ${JSON.stringify(f.confidence)}`;
    }
  }
  const tags = [
    ...defaults.tags,
    ...(f.tags ?? '')
      .split(';')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  ];
  return {
    value: f.value ?? '',
    type,
    owner: f.owner ?? defaults.owner,
    rating: ratingValue,
    confidence,
    description: f.description ?? defaults.description,
    tags,
    securityLabels: defaults.securityLabels,
  };
}

function readInput(command: string, file: string): string {
  let reason: string;
  try {
    if (statSync(file).isDirectory()) reason = 'it is a directory';
    else return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
  }
  throw new CliError(command, `cannot read ${file}: ${reason}`);
}

function indicatorCommand(context: CommandContext): Command {
  const command = new Command('indicator')
    .description(
      'create an indicator (or each one of --from-file); prints each one created or updated as a JSON line',
    )
    .argument('[value]', 'the indicator value; its type is detected unless --type is given')
    .addOption(
      new Option('--type <type>', 'the indicator type (skips detection)').choices(
        Object.keys(INDICATOR_TYPES),
      ),
    )
    .option('--owner <name>', 'the owner to create it in (default: the default org)', text('--owner'))
    .option('--rating <n>', 'threat rating, 0 to 5', rating('--rating'))
    .option('--confidence <n>', 'confidence, 0 to 100', integer('--confidence', 0, 100))
    .option('--description <text>', 'the Description attribute', text('--description'))
    .option('--tag <name>', 'a tag (repeatable)', collect(text('--tag')))
    .option('--security-label <name>', 'a security label (repeatable)', collect(text('--security-label')))
    .option(
      '--from-file <file>',
      'create one indicator per line: a value, or CSV value,type,rating,confidence,description,tags,owner ' +
        "(tags separated by ';', '#' starts a comment line); the flags are the defaults",
    );
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect add indicator 10.1.2.3 --rating 3 --confidence 80 --tag APT --owner 'Example Community'
  threatconnect add indicator bad.example.com --type host --description 'seen in phishing'
  threatconnect add indicator --from-file indicators.csv --owner 'Example Community'`,
  );
  return command.action(
    action<IndicatorFlags>(context, 'add indicator', async (flags, cmd) => {
      const { io } = context;
      const [value] = cmd.processedArgs as [string | undefined];
      if (flags.fromFile !== undefined && value !== undefined)
        cmd.error('error: give VALUE or --from-file, not both', { exitCode: 2 });
      if (flags.fromFile === undefined && (value === undefined || value.trim() === ''))
        cmd.error('error: VALUE is required (or --from-file FILE)', { exitCode: 2 });
      const defaults: IndicatorSpec = {
        value: value ?? '',
        type: flags.type === undefined ? undefined : INDICATOR_TYPES[flags.type],
        owner: flags.owner,
        rating: flags.rating,
        confidence: flags.confidence,
        description: flags.description,
        tags: flags.tag ?? [],
        securityLabels: flags.securityLabel ?? [],
      };
      const content = flags.fromFile === undefined ? undefined : readInput('add indicator', flags.fromFile);
      const connection = await connect(flags, io, cmd, 'add indicator');
      context.baseUrl = connection.server;
      const { tc } = connection;
      try {
        if (content === undefined) {
          const indicator = buildIndicator(tc, defaults);
          await indicator.commit({ signal: io.interrupt });
          io.stdout.write(`${JSON.stringify(indicatorView(indicator))}\n`);
          return;
        }
        await addFromFile(context, tc, content, defaults);
      } catch (error) {
        throw io.interrupt.aborted ? interrupted() : error;
      } finally {
        await connection.close();
      }
    }),
  );
}

async function addFromFile(
  context: CommandContext,
  tc: ThreatConnect,
  content: string,
  defaults: IndicatorSpec,
): Promise<void> {
  const { io } = context;
  const { rows, problems } = parseIndicatorFile(content);
  // A function, so the check after an await is not narrowed away.
  const stopped = (): boolean => io.interrupt.aborted;
  const failed: FileProblem[] = [...problems];
  let created = 0;
  let updated = 0;
  const progress = createProgress(io.stderr, {
    label: 'rows',
    total: rows.length,
    dataToTerminal: io.stdout.isTTY === true,
  });
  /** The row in flight when an interrupt came, and how many rows were never started. */
  let cut: { line: number | undefined; left: number } | undefined;
  try {
    for (const [index, row] of rows.entries()) {
      if (stopped()) {
        cut = { line: undefined, left: rows.length - index };
        break;
      }
      const spec = rowSpec(row, defaults);
      if (typeof spec === 'string') {
        failed.push({ line: row.line, reason: spec });
        progress.increment();
        continue;
      }
      try {
        const indicator = buildIndicator(tc, spec);
        const existed = await exists(tc, indicator, io.interrupt);
        await indicator.commit({ signal: io.interrupt });
        if (existed) updated += 1;
        else created += 1;
        io.stdout.write(`${JSON.stringify(indicatorView(indicator))}\n`);
      } catch (error) {
        if (stopped()) {
          cut = { line: row.line, left: rows.length - index - 1 };
          break;
        }
        failed.push({ line: row.line, reason: describeError(error, { baseUrl: context.baseUrl }) });
      }
      progress.increment();
    }
  } finally {
    progress.stop();
  }
  failed.sort((a, b) => a.line - b.line);
  const total = rows.length + problems.length;
  const interruptedText =
    cut === undefined
      ? ''
      : `; interrupted${cut.line === undefined ? '' : ` at line ${cut.line}, whose outcome is unknown`}, ${cut.left} rows not attempted`;
  io.stderr.write(
    `threatconnect add indicator: ${created} created, ${updated} updated, ${failed.length} failed (${total} rows)${interruptedText}\n`,
  );
  for (const problem of failed) io.stderr.write(`  line ${problem.line}: ${problem.reason}\n`);
  if (cut !== undefined) throw interrupted();
  if (failed.length > 0) context.exitCode = 1;
}

// ---- add group --------------------------------------------------------------------------------

const GROUP_TYPES = {
  adversaries: 'adversary',
  campaigns: 'campaign',
  documents: 'document',
  emails: 'email',
  incidents: 'incident',
  signatures: 'signature',
  threats: 'threat',
} as const;
type GroupTypeName = keyof typeof GROUP_TYPES;

/**
 * The type's own fields: each flag, the types it applies to, and those that require it (the API's
 * required fields on create, rest-api-v2.md 7.1, which the SDK checks at commit()).
 */
const GROUP_FIELDS = [
  ['eventDate', '--event-date', ['incidents'], ['incidents']],
  ['fileName', '--file-name', ['documents', 'signatures'], ['documents', 'signatures']],
  ['fileType', '--file-type', ['signatures'], ['signatures']],
  ['fileText', '--file-text', ['signatures'], ['signatures']],
  ['subject', '--subject', ['emails'], ['emails']],
  ['header', '--header', ['emails'], ['emails']],
  ['body', '--body', ['emails'], ['emails']],
  ['from', '--from', ['emails'], []],
  ['to', '--to', ['emails'], []],
] as const;

interface GroupFlags extends ConnectionFlags {
  owner?: string;
  tag?: string[];
  eventDate?: string;
  fileName?: string;
  fileType?: string;
  fileText?: string;
  subject?: string;
  header?: string;
  body?: string;
  from?: string;
  to?: string;
}

function groupContainer(tc: ThreatConnect, type: GroupTypeName) {
  switch (type) {
    case 'adversaries':
      return tc.adversaries();
    case 'campaigns':
      return tc.campaigns();
    case 'documents':
      return tc.documents();
    case 'emails':
      return tc.emails();
    case 'incidents':
      return tc.incidents();
    case 'signatures':
      return tc.signatures();
    case 'threats':
      return tc.threats();
  }
}

/** `adversaries` or `adversary` (any case) → `adversaries`. */
function groupType(value: string): GroupTypeName {
  const key = value.trim().toLowerCase();
  for (const [plural, singular] of Object.entries(GROUP_TYPES)) {
    if (key === plural || key === singular) return plural as GroupTypeName;
  }
  throw new InvalidArgumentError(
    `TYPE must be one of ${Object.keys(GROUP_TYPES).join(', ')} (or the singular)`,
  );
}

function groupCommand(context: CommandContext): Command {
  const command = new Command('group')
    .description('create a group of TYPE named NAME; prints it as a JSON line')
    .addArgument(new Argument('<type>', Object.keys(GROUP_TYPES).join(', ')).argParser(groupType))
    .argument('<name>', 'the group name')
    .option('--owner <name>', 'the owner to create it in (default: the default org)', text('--owner'))
    .option('--tag <name>', 'a tag (repeatable)', collect(text('--tag')))
    .option('--event-date <iso>', 'incidents: the event date (required)', isoDate('--event-date'))
    .option('--file-name <name>', 'documents and signatures: the file name (required)', text('--file-name'))
    .option(
      '--file-type <type>',
      'signatures: the file type, such as YARA or Snort (required)',
      text('--file-type'),
    )
    .option('--file-text <text>', 'signatures: the signature text (required)', text('--file-text'))
    .option('--subject <text>', 'emails: the subject (required)', text('--subject'))
    .option('--header <text>', 'emails: the header (required)', text('--header'))
    .option('--body <text>', 'emails: the body (required)', text('--body'))
    .option('--from <address>', 'emails: the sender')
    .option('--to <address>', 'emails: the recipient');
  addConnectionOptions(command).addHelpText(
    'after',
    `
Examples:
  threatconnect add group adversaries 'Bad Guy' --tag APT --owner 'Example Community'
  threatconnect add group incidents 'Breach' --event-date 2024-01-31T00:00:00Z
  threatconnect add group signatures 'Rule 1' --file-name r1.yar --file-type YARA --file-text 'rule r1 {}'`,
  );
  return command.action(
    action<GroupFlags>(context, 'add group', async (flags, cmd) => {
      const { io } = context;
      const [type, name] = cmd.processedArgs as [GroupTypeName, string];
      if (name.trim() === '') cmd.error('error: NAME must not be empty', { exitCode: 2 });
      for (const [field, flag, types] of GROUP_FIELDS) {
        if (flags[field] !== undefined && !(types as readonly string[]).includes(type)) {
          cmd.error(`error: ${flag} applies to ${types.join(' and ')}, not ${type}`, { exitCode: 2 });
        }
      }
      // Before connecting, and naming the flags (the SDK's own message names its setters).
      const missing = GROUP_FIELDS.filter(
        ([field, , , required]) =>
          (required as readonly string[]).includes(type) && flags[field] === undefined,
      ).map(([, flag]) => flag);
      if (missing.length > 0) {
        cmd.error(`error: ${type} need ${missing.join(', ')}`, { exitCode: 2 });
      }
      const connection = await connect(flags, io, cmd, 'add group');
      context.baseUrl = connection.server;
      try {
        const group = groupContainer(connection.tc, type).add(name, flags.owner);
        if (flags.eventDate !== undefined) group.setEventDate(flags.eventDate);
        if (flags.fileName !== undefined) group.setFileName(flags.fileName);
        if (flags.fileType !== undefined) group.setFileType(flags.fileType);
        if (flags.fileText !== undefined) group.setFileText(flags.fileText);
        if (flags.subject !== undefined) group.setSubject(flags.subject);
        if (flags.header !== undefined) group.setHeader(flags.header);
        if (flags.body !== undefined) group.setBody(flags.body);
        if (flags.from !== undefined) group.setFrom(flags.from);
        if (flags.to !== undefined) group.setTo(flags.to);
        for (const tag of flags.tag ?? []) group.addTag(tag);
        await group.commit({ signal: io.interrupt });
        io.stdout.write(`${JSON.stringify(groupView(group))}\n`);
      } catch (error) {
        throw io.interrupt.aborted ? interrupted() : error;
      } finally {
        await connection.close();
      }
    }),
  );
}

export function addCommand(context: CommandContext): Command {
  return new Command('add')
    .description('create an indicator (one, or each of a file) or a group')
    .addCommand(indicatorCommand(context))
    .addCommand(groupCommand(context));
}
