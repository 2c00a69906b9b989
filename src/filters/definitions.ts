/**
 * Which API filters and post filters each container has (sdk-behaviour.md 3.3, in the original's
 * registration order), and the request each API filter becomes (section 3.4): its URI, whether it
 * carries an owner, and whether it is a listing or a single object.
 */

/** The kinds of container. */
export type ContainerKind =
  | 'indicators'
  | 'typedIndicators'
  | 'groupType'
  | 'groups'
  | 'victims'
  | 'tasks'
  | 'owners';

/** API filter methods, camelCase (decisions.md 1.7). */
export type ApiFilterName =
  | 'addAdversaryId'
  | 'addCampaignId'
  | 'addDocumentId'
  | 'addEmailId'
  | 'addId'
  | 'addIncidentId'
  | 'addIndicator'
  | 'addSecurityLabel'
  | 'addSignatureId'
  | 'addTag'
  | 'addTaskId'
  | 'addThreatId'
  | 'addVictimId';

/** Post filter methods. */
export type PostFilterName =
  | 'addPfAttribute'
  | 'addPfConfidence'
  | 'addPfDateAdded'
  | 'addPfFileType'
  | 'addPfLastModified'
  | 'addPfName'
  | 'addPfRating'
  | 'addPfTag'
  | 'addPfThreatAssessConfidence'
  | 'addPfThreatAssessRating'
  | 'addPfType';

const INDICATOR_POST = [
  'addPfAttribute',
  'addPfConfidence',
  'addPfDateAdded',
  'addPfLastModified',
  'addPfRating',
  'addPfTag',
  'addPfThreatAssessConfidence',
  'addPfThreatAssessRating',
  'addPfType',
] as const;

/** API filters per container, in registration order (the order `String(filter)` lists them). */
export const API_FILTERS = {
  indicators: [
    'addAdversaryId',
    'addCampaignId',
    'addEmailId',
    'addIncidentId',
    'addIndicator',
    'addSecurityLabel',
    'addSignatureId',
    'addTag',
    'addTaskId',
    'addThreatId',
    'addVictimId',
  ],
  typedIndicators: [
    'addAdversaryId',
    'addCampaignId',
    'addDocumentId',
    'addEmailId',
    'addIncidentId',
    'addIndicator',
    'addSecurityLabel',
    'addTag',
    'addTaskId',
    'addThreatId',
    'addVictimId',
  ],
  groupType: [
    'addAdversaryId',
    'addCampaignId',
    'addEmailId',
    'addDocumentId',
    'addId',
    'addIncidentId',
    'addIndicator',
    'addSecurityLabel',
    'addSignatureId',
    'addTag',
    'addTaskId',
    'addThreatId',
    'addVictimId',
  ],
  groups: [
    'addAdversaryId',
    'addCampaignId',
    'addDocumentId',
    'addEmailId',
    'addIncidentId',
    'addIndicator',
    'addSecurityLabel',
    'addSignatureId',
    'addTag',
    'addTaskId',
    'addThreatId',
    'addVictimId',
  ],
  victims: [
    'addAdversaryId',
    'addCampaignId',
    'addDocumentId',
    'addEmailId',
    'addId',
    'addIncidentId',
    'addIndicator',
    'addSignatureId',
    'addSecurityLabel',
    'addTag',
    'addTaskId',
    'addThreatId',
  ],
  tasks: [
    'addAdversaryId',
    'addCampaignId',
    'addDocumentId',
    'addEmailId',
    'addId',
    'addIncidentId',
    'addIndicator',
    'addSecurityLabel',
    'addSignatureId',
    'addThreatId',
    'addTag',
    'addVictimId',
  ],
  owners: ['addId', 'addIndicator'],
} as const satisfies Readonly<Record<ContainerKind, readonly ApiFilterName[]>>;

/** Post filters per container, in registration order. */
export const POST_FILTERS = {
  indicators: INDICATOR_POST,
  typedIndicators: INDICATOR_POST,
  groupType: ['addPfName', 'addPfDateAdded', 'addPfFileType'],
  groups: ['addPfName', 'addPfDateAdded', 'addPfType'],
  victims: ['addPfAttribute', 'addPfDateAdded', 'addPfName', 'addPfType'],
  tasks: ['addPfAttribute', 'addPfName', 'addPfDateAdded'],
  owners: ['addPfName', 'addPfType'],
} as const satisfies Readonly<Record<ContainerKind, readonly PostFilterName[]>>;

/** Group-id API filters and the group branch each one pivots through. */
export const GROUP_ID_FILTERS: Readonly<Partial<Record<ApiFilterName, { branch: string; word: string }>>> = {
  addAdversaryId: { branch: 'adversaries', word: 'adversary' },
  addCampaignId: { branch: 'campaigns', word: 'campaign' },
  addDocumentId: { branch: 'documents', word: 'documents' },
  addEmailId: { branch: 'emails', word: 'email' },
  addIncidentId: { branch: 'incidents', word: 'incident' },
  addSignatureId: { branch: 'signatures', word: 'signature' },
  addThreatId: { branch: 'threats', word: 'threat' },
};

/** The API filters of a container kind, as a type. */
export type ApiFiltersOf<K extends ContainerKind> = (typeof API_FILTERS)[K][number];
/** The post filters of a container kind, as a type. */
export type PostFiltersOf<K extends ContainerKind> = (typeof POST_FILTERS)[K][number];
