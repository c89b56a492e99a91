import { ApolloProvider } from '@apollo/client/react';
import { useEffect, useMemo, useRef } from 'react';
import { type ConsoleClient, createConsoleClient } from './apollo/client';
import { SocketStateContext } from './apollo/socket-state';
import { Empty } from './components/feedback';
import { Shell } from './components/shell';
import { DashboardPage } from './pages/dashboard-page';
import { DeviceDetailPage } from './pages/device-detail-page';
import { DeviceListPage } from './pages/device-list-page';
import { LoginPage } from './pages/login-page';
import { NotificationsPage } from './pages/notifications-page';
import { OrderListPage } from './pages/order-list-page';
import { matchPath, navigate, useLocation } from './routing/router';
import { keepSessionFresh } from './session/refresh';
import { type Session, isAdmin, useSession } from './session/session';

function Page({ session, path }: { session: Session; path: string }) {
  const route = (pattern: string) => matchPath(pattern, path);
  let params: Record<string, string> | null;
  if (route('/devices')) return <DeviceListPage key={path} />;
  if ((params = route('/devices/:id'))) {
    const back = isAdmin(session) ? { to: '/devices', label: 'Devices' } : { to: '/dashboard', label: 'Dashboard' };
    return <DeviceDetailPage deviceId={params['id'] ?? ''} back={back} />;
  }
  if (route('/dashboard')) return <DashboardPage userId={session.userId} own />;
  if ((params = route('/users/:id'))) return <DashboardPage userId={params['id'] ?? ''} own={params['id'] === session.userId} />;
  if (route('/orders')) return <OrderListPage />;
  if (route('/notifications')) return <NotificationsPage userId={session.userId} />;
  if ((params = route('/users/:id/notifications'))) return <NotificationsPage userId={params['id'] ?? ''} />;
  return <Empty>No page here.</Empty>;
}

/** Where a path with no page of its own leads: administrators to the device list, users to their dashboard. */
function startPage(session: Session): string {
  return isAdmin(session) ? '/devices' : '/dashboard';
}

export function App() {
  const session = useSession();
  const path = useLocation();
  // One client per sign-in: renewed tokens keep it (and its cache and socket).
  const client = useMemo(() => createConsoleClient(), [session?.signedInAt]);
  useEffect(() => {
    if (session === null) return undefined;
    return keepSessionFresh(client.apollo, () => client.restartSocket());
  }, [client, session === null]);
  // The previous session's client goes when a new one takes over (not on unmount: StrictMode remounts).
  const previous = useRef<ConsoleClient | null>(null);
  useEffect(() => {
    if (previous.current !== null && previous.current !== client) previous.current.dispose();
    previous.current = client;
  }, [client]);
  const bare = (path.split('?')[0] ?? '/').replace(/\/+$/, '');
  const redirect = session !== null && (bare === '' || bare === '/login') ? startPage(session) : null;
  useEffect(() => {
    if (redirect !== null) navigate(redirect, { replace: true });
  }, [redirect]);

  return (
    <ApolloProvider client={client.apollo}>
      <SocketStateContext.Provider value={client.socketState}>
        {session === null ? (
          <LoginPage />
        ) : (
          <Shell session={session}>{redirect === null && <Page session={session} path={path} />}</Shell>
        )}
      </SocketStateContext.Provider>
    </ApolloProvider>
  );
}
