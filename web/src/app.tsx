import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { signOut } from './auth/renewal';
import { getAccessToken, type Session, updateSessionUser, useSession, useSessionEndedReason } from './auth/session';
import { CasePage, type DecidedCase } from './features/case/CasePage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { LoginPage } from './features/login/LoginPage';
import { NotificationBell } from './features/notifications/NotificationBell';
import { canReviewOverrides } from './features/overrides/override-logic';
import { PendingOverridesPage } from './features/overrides/PendingOverridesPage';
import { QueuePage } from './features/queue/QueuePage';
import { ME } from './graphql/operations';
import { GraphQLProvider } from './graphql/provider';
import { formatDateTime, formatMoney, humanize } from './lib/format';
import { navigate, useRoute } from './lib/router';

export function App() {
  const session = useSession();
  return (
    <GraphQLProvider identity={session ? `${session.user.tenant.id}/${session.user.id}` : null} getToken={getAccessToken}>
      {session ? <Workbench session={session} /> : <SignedOut />}
    </GraphQLProvider>
  );
}

/** The login screen, saying why the last session ended when the user did not end it (revoked, not renewable). */
function SignedOut() {
  const endedBecause = useSessionEndedReason();
  return (
    <>
      {endedBecause && (
        <div className="notice notice-warn" role="alert" data-testid="session-ended">
          {endedBecause}
        </div>
      )}
      <LoginPage />
    </>
  );
}

function Workbench({ session }: { session: Session }) {
  const route = useRoute();
  const [decided, setDecided] = useState<DecidedCase | null>(null);

  // Keep name/role/permissions fresh; a refused token is renewed, or ends the session (see client.ts).
  const [me] = useQuery({ query: ME });
  useEffect(() => {
    if (me.data?.me) updateSessionUser(me.data.me);
  }, [me.data]);

  function onDecided(result: DecidedCase) {
    setDecided(result);
    navigate('#/queue');
  }

  return (
    <div className="shell">
      <AppHeader session={session} active={route.name} />
      <main className="content">
        {decided && route.name === 'queue' && <DecisionResult result={decided} onDismiss={() => setDecided(null)} />}
        {route.name === 'case' ? (
          <CasePage key={route.applicationId} applicationId={route.applicationId} onDecided={onDecided} />
        ) : route.name === 'dashboard' ? (
          <DashboardPage />
        ) : route.name === 'overrides' ? (
          <PendingOverridesPage />
        ) : (
          <QueuePage />
        )}
      </main>
    </div>
  );
}

function AppHeader({ session, active }: { session: Session; active: string }) {
  const { user } = session;
  // Hidden, not just refused: the server checks the same permission on every field.
  const seesOverrides = canReviewOverrides(user.permissions);
  const seesQueue = user.permissions.includes('queue:view');
  return (
    <header className="app-header">
      <span className="brand">Tandem</span>
      <nav>
        <a href="#/queue" className={active === 'queue' || active === 'case' ? 'active' : undefined} data-testid="nav-queue">
          Queue
        </a>
        {seesOverrides && (
          <a href="#/overrides" className={active === 'overrides' ? 'active' : undefined} data-testid="nav-overrides">
            Overrides
          </a>
        )}
        <a href="#/dashboard" className={active === 'dashboard' ? 'active' : undefined} data-testid="nav-dashboard">
          Dashboard
        </a>
      </nav>
      <span className="spacer" />
      {seesQueue && <NotificationBell />}
      <span className="who" data-testid="current-user">
        <strong>{user.name}</strong>
        <span className="badge badge-neutral">{humanize(user.role)}</span>
        <span className="muted">{user.tenant.name}</span>
      </span>
      <button type="button" className="ghost" onClick={() => void signOut()} data-testid="sign-out">
        Sign out
      </button>
    </header>
  );
}

function DecisionResult({ result, onDismiss }: { result: DecidedCase; onDismiss: () => void }) {
  const { decision } = result;
  return (
    <div className="notice notice-success" role="status" data-testid="decision-result" data-outcome={decision.outcome}>
      <span>
        Decision recorded for <strong>{result.applicantName}</strong>: <strong>{humanize(decision.outcome)}</strong>
        {decision.approvedTerms && (
          <span data-testid="decision-result-terms">
            {' '}
            · {formatMoney(decision.approvedTerms.amount, result.currency)} over {decision.approvedTerms.termMonths} months
            {decision.monthlyInstalment && <>, instalment {formatMoney(decision.monthlyInstalment, result.currency, 2)}/month</>}
          </span>
        )}
        {decision.documentsRequest && (
          <span>
            {' '}
            · {decision.documentsRequest.checklist.length} document(s) due {formatDateTime(decision.documentsRequest.dueAt)}, SLA paused
          </span>
        )}
        {decision.isOverride ? (
          <>
            {' '}
            · override, status{' '}
            <strong data-testid="decision-override-status">
              {decision.overrideStatus === 'PENDING' ? 'awaiting senior approval' : humanize(decision.overrideStatus ?? 'pending')}
            </strong>
          </>
        ) : (
          ' · no override'
        )}
      </span>
      <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
