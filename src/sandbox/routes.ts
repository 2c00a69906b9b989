/** The v2 route table of the sandbox. Paths are matched after `/api/v2`, on decoded segments. */
import type { RequestContext } from './context.js';
import { bulkDownload, bulkStatus } from './handlers/bulk.js';
import {
  createGroup,
  deleteGroup,
  downloadContent,
  getGroup,
  listGroups,
  updateGroup,
  uploadContent,
} from './handlers/groups.js';
import {
  createIndicator,
  deleteIndicator,
  getIndicator,
  indicatorTypes,
  listIndicators,
  updateIndicator,
} from './handlers/indicators.js';
import { batchErrors, batchResults, createBatch, getBatch, uploadBatch } from './handlers/batch.js';
import {
  INTELLIGENCE_RESOURCES,
  indicatorIntelligence,
  indicatorOwners,
  observedIndicators,
} from './handlers/intelligence.js';
import { adversaryAssets } from './handlers/adversary-assets.js';
import { listDeletedIndicators } from './handlers/deleted.js';
import { indicatorPivot } from './handlers/indicator-pivot.js';
import { itemAttributes, itemLabels, itemTags } from './handlers/item-metadata.js';
import { itemVictimAssets } from './handlers/item-victim-assets.js';
import { associations } from './handlers/items.js';
import { allOwnerMetrics, associationTypes, attributeTypes, oneOwnerMetrics } from './handlers/lookups.js';
import {
  createTag,
  deleteLabel,
  deleteTag,
  getLabel,
  getOwner,
  getTag,
  listLabels,
  listOwners,
  listTags,
  members,
  mine,
  updateTag,
  whoami,
} from './handlers/metadata.js';
import { createTask, deleteTask, getTask, listTasks, taskPeople, updateTask } from './handlers/tasks.js';
import {
  createVictim,
  deleteVictim,
  getVictim,
  listVictims,
  updateVictim,
  victimAssets,
} from './handlers/victims.js';
import { type ItemRef, pivotOwners, resolvePivot } from './handlers/shared.js';
import { typedAssociations } from './handlers/typed-associations.js';
import { type Reply, notFound } from './reply.js';
import { Router } from './router.js';

export type Handler = (
  ctx: RequestContext,
  params: Record<string, string>,
  rest: string[],
) => Promise<Reply> | Reply;

/** A named path parameter (the router always fills the ones its pattern names). */
const param = (params: Record<string, string>, name: string): string => params[name] ?? '';

/** Dispatches the sub-resources shared by indicators, groups, victims, tasks, tags and labels. */
async function itemSubresource(ctx: RequestContext, item: ItemRef, rest: string[]): Promise<Reply> {
  const isMetadataCarrier = item.kind !== 'tag' && item.kind !== 'label';
  switch (rest[0]) {
    case 'attributes':
      if (!isMetadataCarrier) throw notFound();
      return itemAttributes(ctx, item, rest);
    case 'tags':
      if (!isMetadataCarrier) throw notFound();
      return itemTags(ctx, item, rest);
    case 'securityLabels':
      if (!isMetadataCarrier) throw notFound();
      return itemLabels(ctx, item.kind, item.id, item.ownerId, rest);
    case 'indicators':
      // Indicator to indicator: the links of the typed associations (POST is refused by associations()).
      if (item.kind === 'indicator' && ctx.method !== 'POST')
        return indicatorPivot(ctx, item, rest, pivotOwners(ctx, item));
      return associations(ctx, item, rest);
    case 'groups':
    case 'victims':
    case 'tasks':
      return associations(ctx, item, rest);
    case 'victimAssets':
      return itemVictimAssets(ctx, item, rest, pivotOwners(ctx, item));
    default:
      throw notFound();
  }
}

/** Sub-resources of an item resolved by `resolvePivot` from the full path. */
const pivot =
  (head: string): Handler =>
  (ctx, params, rest) => {
    const segments = [head, ...Object.values(params), ...rest];
    const resolved = resolvePivot(ctx, segments);
    return itemSubresource(ctx, resolved.item, resolved.rest);
  };

export function createApiRouter(): Router<Handler> {
  const r = new Router<Handler>();
  // owners, users, types
  r.add('GET', 'owners', (ctx) => listOwners(ctx));
  r.add('GET', 'owners/mine', (ctx) => mine(ctx));
  r.add('GET', 'owners/mine/members', (ctx) => members(ctx));
  r.add('GET', 'owners/metrics', (ctx) => allOwnerMetrics(ctx));
  r.add('GET', 'owners/:id', (ctx, params) => getOwner(ctx, param(params, 'id')));
  r.add('GET', 'owners/:id/metrics', (ctx, params) => oneOwnerMetrics(ctx, param(params, 'id')));
  r.add('GET', 'whoami', (ctx) => whoami(ctx));
  r.add('GET', 'types/indicatorTypes', (ctx) => indicatorTypes(ctx));
  r.add('GET', 'types/indicatorTypes/:entity', (ctx, params) => indicatorTypes(ctx, param(params, 'entity')));
  r.add('GET', 'types/attributeTypes', (ctx) => attributeTypes(ctx));
  r.add('GET', 'types/attributeTypes/:name', (ctx, params) => attributeTypes(ctx, param(params, 'name')));
  r.add('GET', 'types/associationTypes', (ctx) => associationTypes(ctx));
  r.add('GET', 'types/associationTypes/:name', (ctx, params) => associationTypes(ctx, param(params, 'name')));

  // indicators (the bulk reports first: `bulk` is no indicator branch)
  r.add('GET', 'indicators/bulk', (ctx) => bulkStatus(ctx));
  r.add('GET', 'indicators/bulk/json', (ctx) => bulkDownload(ctx, 'json'));
  r.add('GET', 'indicators/bulk/csv', (ctx) => bulkDownload(ctx, 'csv'));
  r.add('GET', 'indicators', (ctx) => listIndicators(ctx));
  r.add('GET', 'indicators/observed', (ctx) => observedIndicators(ctx));
  // Before `indicators/:branch` and `indicators/:branch/:value`: `deleted` is no branch, and no
  // indicator value is looked up under it.
  r.add('GET', 'indicators/deleted', (ctx) => listDeletedIndicators(ctx));
  r.add('GET', 'indicators/:branch/deleted', (ctx, params) =>
    listDeletedIndicators(ctx, param(params, 'branch')),
  );
  r.add('GET', 'indicators/:branch', (ctx, params) => listIndicators(ctx, param(params, 'branch')));
  r.add('POST', 'indicators/:branch', (ctx, params) => createIndicator(ctx, param(params, 'branch')));
  r.add('GET', 'indicators/:branch/:value', (ctx, params) =>
    getIndicator(ctx, param(params, 'branch'), param(params, 'value')),
  );
  r.add('PUT', 'indicators/:branch/:value', (ctx, params) =>
    updateIndicator(ctx, param(params, 'branch'), param(params, 'value')),
  );
  r.add('DELETE', 'indicators/:branch/:value', (ctx, params) =>
    deleteIndicator(ctx, param(params, 'branch'), param(params, 'value')),
  );
  r.add('GET', 'indicators/:branch/:value/owners', (ctx, params) =>
    indicatorOwners(ctx, param(params, 'branch'), param(params, 'value')),
  );
  for (const via of ['associations', 'actions'] as const) {
    for (const method of ['GET', 'POST', 'DELETE']) {
      r.add(method, `indicators/:branch/:value/${via}/*rest`, (ctx, params, rest) =>
        typedAssociations(ctx, param(params, 'branch'), param(params, 'value'), via, rest),
      );
    }
  }
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    for (const resource of INTELLIGENCE_RESOURCES) {
      r.add(method, `indicators/:branch/:value/${resource}/*rest`, (ctx, params, rest) =>
        indicatorIntelligence(ctx, param(params, 'branch'), param(params, 'value'), resource, rest),
      );
    }
    r.add(method, 'indicators/:branch/:value/*rest', pivot('indicators'));
  }

  // groups
  r.add('GET', 'groups', (ctx) => listGroups(ctx));
  r.add('GET', 'groups/:branch', (ctx, params) => listGroups(ctx, param(params, 'branch')));
  r.add('POST', 'groups/:branch', (ctx, params) => createGroup(ctx, param(params, 'branch')));
  r.add('GET', 'groups/:branch/:id', (ctx, params) =>
    getGroup(ctx, param(params, 'branch'), param(params, 'id')),
  );
  r.add('PUT', 'groups/:branch/:id', (ctx, params) =>
    updateGroup(ctx, param(params, 'branch'), param(params, 'id')),
  );
  r.add('DELETE', 'groups/:branch/:id', (ctx, params) =>
    deleteGroup(ctx, param(params, 'branch'), param(params, 'id')),
  );
  r.add('POST', 'groups/:branch/:id/upload', (ctx, params) =>
    uploadContent(ctx, param(params, 'branch'), param(params, 'id')),
  );
  r.add('PUT', 'groups/:branch/:id/upload', (ctx, params) =>
    uploadContent(ctx, param(params, 'branch'), param(params, 'id')),
  );
  r.add('GET', 'groups/:branch/:id/download', (ctx, params) =>
    downloadContent(ctx, param(params, 'branch'), param(params, 'id')),
  );
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    r.add(method, 'groups/:branch/:id/adversaryAssets/*rest', (ctx, params, rest) =>
      adversaryAssets(ctx, param(params, 'branch'), param(params, 'id'), rest),
    );
    r.add(method, 'groups/:branch/:id/*rest', pivot('groups'));
  }

  // victims
  r.add('GET', 'victims', (ctx) => listVictims(ctx));
  r.add('POST', 'victims', (ctx) => createVictim(ctx));
  r.add('GET', 'victims/:id', (ctx, params) => getVictim(ctx, param(params, 'id')));
  r.add('PUT', 'victims/:id', (ctx, params) => updateVictim(ctx, param(params, 'id')));
  r.add('DELETE', 'victims/:id', (ctx, params) => deleteVictim(ctx, param(params, 'id')));
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    r.add(method, 'victims/:id/victimAssets/*rest', (ctx, params, rest) =>
      victimAssets(ctx, param(params, 'id'), ['victimAssets', ...rest]),
    );
    r.add(method, 'victims/:id/*rest', pivot('victims'));
  }

  // tasks
  r.add('GET', 'tasks', (ctx) => listTasks(ctx));
  r.add('POST', 'tasks', (ctx) => createTask(ctx));
  r.add('GET', 'tasks/:id', (ctx, params) => getTask(ctx, param(params, 'id')));
  r.add('PUT', 'tasks/:id', (ctx, params) => updateTask(ctx, param(params, 'id')));
  r.add('DELETE', 'tasks/:id', (ctx, params) => deleteTask(ctx, param(params, 'id')));
  for (const which of ['assignee', 'escalatee'] as const) {
    r.add('GET', `tasks/:id/${which}s`, (ctx, params) => taskPeople(ctx, param(params, 'id'), which));
    for (const method of ['GET', 'POST', 'DELETE']) {
      r.add(method, `tasks/:id/${which}s/:user`, (ctx, params) =>
        taskPeople(ctx, param(params, 'id'), which, param(params, 'user')),
      );
    }
  }
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) r.add(method, 'tasks/:id/*rest', pivot('tasks'));

  // batch ingest
  r.add('POST', 'batch', (ctx) => createBatch(ctx));
  r.add('POST', 'batch/:id', (ctx, params) => uploadBatch(ctx, param(params, 'id')));
  r.add('GET', 'batch/:id', (ctx, params) => getBatch(ctx, param(params, 'id')));
  r.add('GET', 'batch/:id/errors', (ctx, params) => batchErrors(ctx, param(params, 'id')));
  r.add('GET', 'batch/:id/results', (ctx, params) => batchResults(ctx, param(params, 'id')));

  // tags and security labels
  r.add('GET', 'tags', (ctx) => listTags(ctx));
  r.add('POST', 'tags', (ctx) => createTag(ctx));
  r.add('GET', 'tags/:name', (ctx, params) => getTag(ctx, param(params, 'name')));
  r.add('PUT', 'tags/:name', (ctx, params) => updateTag(ctx, param(params, 'name')));
  r.add('DELETE', 'tags/:name', (ctx, params) => deleteTag(ctx, param(params, 'name')));
  r.add('GET', 'securityLabels', (ctx) => listLabels(ctx));
  r.add('GET', 'securityLabels/:name', (ctx, params) => getLabel(ctx, param(params, 'name')));
  r.add('DELETE', 'securityLabels/:name', (ctx, params) => deleteLabel(ctx, param(params, 'name')));
  for (const method of ['GET', 'POST', 'DELETE']) {
    r.add(method, 'tags/:name/*rest', pivot('tags'));
    r.add(method, 'securityLabels/:name/*rest', pivot('securityLabels'));
  }
  return r;
}
