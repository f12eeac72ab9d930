/** The permission set. Roles are bundles of these; fields declare the one they need. */
export const Permission = {
  ApplicationView: 'application:view',
  ApplicationCreate: 'application:create',
  ApplicationScore: 'application:score',
  QueueView: 'queue:view',
  QueueAssign: 'queue:assign',
  DecisionView: 'decision:view',
  DecisionCreate: 'decision:create',
  DecisionOverride: 'decision:override',
  DecisionApproveOverride: 'decision:approve_override',
  AnalyticsView: 'analytics:view',
  ConfigManage: 'config:manage',
  UserManage: 'user:manage',
  AuditView: 'audit:view',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];
export const ALL_PERMISSIONS = Object.values(Permission) as Permission[];

export const Role = {
  Admin: 'admin',
  SeniorAnalyst: 'senior_analyst',
  Analyst: 'analyst',
  Readonly: 'readonly',
  ApiConsumer: 'api_consumer',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

const P = Permission;
export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: ALL_PERMISSIONS,
  senior_analyst: [P.ApplicationView, P.ApplicationScore, P.QueueView, P.QueueAssign, P.DecisionView, P.DecisionCreate,
    P.DecisionOverride, P.DecisionApproveOverride, P.AnalyticsView],
  analyst: [P.ApplicationView, P.QueueView, P.DecisionView, P.DecisionCreate, P.AnalyticsView],
  readonly: [P.ApplicationView, P.QueueView, P.DecisionView],
  api_consumer: [P.ApplicationCreate, P.ApplicationView, P.DecisionView],
};

export function permissionsForRole(role: Role, grants: string[] = [], revocations: string[] = []): Permission[] {
  const set = new Set<string>(ROLE_PERMISSIONS[role] ?? []);
  for (const g of grants) set.add(g);
  for (const r of revocations) set.delete(r);
  return ALL_PERMISSIONS.filter((p) => set.has(p));
}
