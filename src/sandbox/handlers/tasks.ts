/** Tasks, their assignees and escalatees (rest-api-v2.md section 8). */
import { type RequestContext, isoNow, ownerListing, readObject, requestOwner, windowed } from '../context.js';
import { readFilters } from '../query-filters.js';
import { type Reply, badRequest, notFound, single, success } from '../reply.js';
import type { UserRow } from '../store.js';
import { TASK_STATUSES } from '../types.js';
import { taskView } from '../views.js';
import { checkText, clientDate, parseBoolean, requireTask } from './shared.js';

interface TaskUser {
  userName: string;
  firstName: string;
  lastName: string;
}

export function listTasks(ctx: RequestContext): Reply {
  const filter = readFilters(ctx, { kind: 'task' });
  return ownerListing(ctx, 'tasks', 'task', (r) => taskView(ctx.view, r, 'typed'), filter);
}

export function getTask(ctx: RequestContext, rawId: string): Reply {
  return single('task', taskView(ctx.view, requireTask(ctx, rawId), 'single'));
}

function knownUser(ctx: RequestContext, userName: string, field: 'assignee' | 'escalatee'): TaskUser {
  const row = ctx.store.get<UserRow>('SELECT * FROM users WHERE user_name = ?', userName);
  if (!row) throw badRequest(`The ${field} for this Task is invalid: unknown user ${userName}`);
  return taskUser(row);
}

function taskUser(row: UserRow): TaskUser {
  return { userName: row.user_name, firstName: row.first_name, lastName: row.last_name };
}

/**
 * The user a path segment names (rest-api-v2.md 8: "`POST`/`DELETE .../assignees/{userName|id}`"): by
 * user name, else, for a segment of digits that is no user's name, by user id; undefined when neither.
 */
function userInPath(ctx: RequestContext, segment: string): UserRow | undefined {
  return (
    ctx.store.get<UserRow>('SELECT * FROM users WHERE user_name = ?', segment) ??
    (/^\d{1,15}$/.test(segment)
      ? ctx.store.get<UserRow>('SELECT * FROM users WHERE id = ?', Number(segment))
      : undefined)
  );
}

function userList(ctx: RequestContext, value: unknown, field: 'assignee' | 'escalatee'): TaskUser[] {
  if (!Array.isArray(value)) throw badRequest(`The ${field} for this Task is invalid`);
  const users = value.map((entry) => {
    const userName =
      typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).userName : undefined;
    if (typeof userName !== 'string') throw badRequest(`The ${field} for this Task is invalid`);
    return knownUser(ctx, userName, field);
  });
  // A user is assigned once, as `POST …/assignees/{user}` of one already there changes nothing: one
  // named twice is kept once, where first named, so that one DELETE unassigns them.
  const seen = new Set<string>();
  return users.filter((user) => {
    if (seen.has(user.userName)) return false;
    seen.add(user.userName);
    return true;
  });
}

function taskBody(
  ctx: RequestContext,
  body: Record<string, unknown>,
  creating: boolean,
): { name?: string; fields: Record<string, unknown> } {
  const out: { name?: string; fields: Record<string, unknown> } = { fields: {} };
  if (body.name !== undefined || creating) {
    if (typeof body.name !== 'string' || body.name.trim() === '')
      throw badRequest('The name for this Task is invalid');
    out.name = checkText(body.name, 'name', 'Task');
  }
  for (const field of ['dueDate', 'reminderDate', 'escalationDate'] as const) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    out.fields[field] = clientDate(value, field, 'Task');
  }
  if (body.description !== undefined) {
    if (typeof body.description !== 'string') throw badRequest('The description for this Task is invalid');
    out.fields.description = body.description;
  }
  if (body.status !== undefined) {
    if (typeof body.status !== 'string' || !(TASK_STATUSES as readonly string[]).includes(body.status)) {
      throw badRequest(
        `The status for this Task is invalid, please enter one of the following values: ${TASK_STATUSES.join(', ')}`,
      );
    }
    out.fields.status = body.status;
  }
  for (const field of ['escalated', 'reminded'] as const) {
    const value = parseBoolean(body[field], field, 'Task');
    if (value !== undefined) out.fields[field] = value;
  }
  if (body.assignee !== undefined) out.fields.assignee = userList(ctx, body.assignee, 'assignee');
  if (body.escalatee !== undefined) out.fields.escalatee = userList(ctx, body.escalatee, 'escalatee');
  return out;
}

/**
 * `overdue` (rest-api-v2.md 8) is the server's: a task is overdue when its `dueDate` has passed and it is
 * not `Completed`. It is worked out again on every write of the task, from the server clock, as the
 * sample data works it out from its epoch; a client's `overdue` is ignored.
 */
function withOverdue(ctx: RequestContext, fields: Record<string, unknown>): Record<string, unknown> {
  const due = typeof fields.dueDate === 'string' ? Date.parse(fields.dueDate) : Number.NaN;
  return { ...fields, overdue: Number.isFinite(due) && due < ctx.nowMs() && fields.status !== 'Completed' };
}

export async function createTask(ctx: RequestContext): Promise<Reply> {
  const owner = requestOwner(ctx);
  const { name, fields } = taskBody(ctx, await readObject(ctx), true);
  const now = isoNow(ctx);
  const all = withOverdue(ctx, {
    status: 'Not Started',
    escalated: false,
    reminded: false,
    overdue: false,
    assignee: [],
    escalatee: [],
    ...fields,
  });
  const id = ctx.store.transaction(() => {
    const newId = ctx.store.nextId('tasks');
    ctx.store.run(
      'INSERT INTO tasks (id, owner_id, name, date_added, last_modified, web_link, fields) VALUES (?, ?, ?, ?, ?, ?, ?)',
      newId,
      owner.id,
      name,
      now,
      now,
      `/auth/workflow/task.xhtml?task=${newId}`,
      JSON.stringify(all),
    );
    return newId;
  });
  return single('task', taskView(ctx.view, requireTask(ctx, String(id)), 'single'), 201);
}

export async function updateTask(ctx: RequestContext, rawId: string): Promise<Reply> {
  requireTask(ctx, rawId);
  const { name, fields } = taskBody(ctx, await readObject(ctx), false);
  // Read the task again after the body: another write may have changed or deleted it meanwhile.
  const row = requireTask(ctx, rawId);
  const merged = withOverdue(ctx, { ...(JSON.parse(row.fields) as Record<string, unknown>), ...fields });
  ctx.store.run(
    'UPDATE tasks SET name = ?, fields = ?, last_modified = ? WHERE id = ?',
    name ?? row.name,
    JSON.stringify(merged),
    isoNow(ctx),
    row.id,
  );
  return single('task', taskView(ctx.view, requireTask(ctx, rawId), 'single'));
}

export function deleteTask(ctx: RequestContext, rawId: string): Reply {
  const row = requireTask(ctx, rawId);
  ctx.store.transaction(() => {
    ctx.store.run('DELETE FROM tasks WHERE id = ?', row.id);
    ctx.store.forgetItem('task', row.id);
  });
  return success();
}

/** `/v2/tasks/{id}/assignees[/{userName|id}]` and the same for escalatees. */
export function taskPeople(
  ctx: RequestContext,
  rawId: string,
  which: 'assignee' | 'escalatee',
  segment?: string,
): Reply {
  const row = requireTask(ctx, rawId);
  const fields = JSON.parse(row.fields) as Record<string, unknown>;
  const people = (fields[which] as TaskUser[] | undefined) ?? [];
  if (segment === undefined) {
    if (ctx.method !== 'GET') throw notFound();
    return windowed(ctx, 'user', people, (p) => p);
  }
  const user = userInPath(ctx, segment);
  const userName = user?.user_name ?? segment;
  const index = people.findIndex((p) => p.userName === userName);
  if (ctx.method === 'GET') {
    if (index === -1) throw notFound();
    return single('user', people[index]);
  }
  if (ctx.method === 'POST') {
    if (!user) throw badRequest(`The ${which} for this Task is invalid: unknown user ${segment}`);
    if (index === -1) people.push(taskUser(user));
  } else if (ctx.method === 'DELETE') {
    if (index === -1) throw notFound();
    people.splice(index, 1);
  } else {
    throw notFound();
  }
  fields[which] = people;
  ctx.store.run(
    'UPDATE tasks SET fields = ?, last_modified = ? WHERE id = ?',
    JSON.stringify(withOverdue(ctx, fields)),
    isoNow(ctx),
    row.id,
  );
  return success(ctx.method === 'POST' ? 201 : 200);
}
