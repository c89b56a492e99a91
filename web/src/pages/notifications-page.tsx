import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Empty, ErrorPanel, Loading } from '../components/feedback';
import { formatDate } from '../components/format';
import { MARK_ALL_NOTIFICATIONS_READ, MARK_NOTIFICATION_READ, NOTIFICATION_CENTRE } from '../operations/documents';

// Marking read changes counts the cache cannot derive: the page's and the header's queries ask again.
const REFRESHED = ['NotificationCentre', 'Viewer'];

/** The notification centre: unread count, a page of notifications (all or unread only), marking them read. */
export function NotificationsPage({ userId }: { userId: string }) {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const { data, loading, error, fetchMore } = useQuery(NOTIFICATION_CENTRE, { variables: { userId, unreadOnly }, errorPolicy: 'all', notifyOnNetworkStatusChange: true });
  const [markRead, marking] = useMutation(MARK_NOTIFICATION_READ, { refetchQueries: REFRESHED });
  const [markAllRead, markingAll] = useMutation(MARK_ALL_NOTIFICATIONS_READ, { refetchQueries: REFRESHED });
  const user = data?.user;
  const notifications = user?.notifications;
  const mutationError = marking.error ?? markingAll.error;

  return (
    <section>
      <h1>Notifications</h1>
      <div className="toolbar">
        {user && (
          <span className="count" data-testid="unread-count">
            {user.unreadNotificationCount ?? '—'} unread
          </span>
        )}
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} /> Unread only
        </label>
        <button type="button" disabled={markingAll.loading || !user?.unreadNotificationCount} onClick={() => void markAllRead({ variables: { userId } }).catch(() => undefined)}>
          Mark all read
        </button>
      </div>
      {error && <ErrorPanel error={error} />}
      {mutationError && <ErrorPanel error={mutationError} title="Could not mark read" />}
      {loading && !data && <Loading what="notifications" />}
      {notifications && notifications.edges.length === 0 && <Empty>{unreadOnly ? 'Nothing unread.' : 'No notifications yet.'}</Empty>}
      {notifications && notifications.edges.length > 0 && (
        <ul className="notifications">
          {notifications.edges.map(({ node: notification }) => (
            <li key={notification.id} className={notification.readAt ? 'read' : 'unread'} data-testid="notification">
              <div>
                <strong>{notification.title}</strong> <span className={`severity severity-${notification.severity.toLowerCase()}`}>{notification.severity}</span>
                <span className="secondary"> {formatDate(notification.createdAt)}</span>
              </div>
              <p>{notification.body}</p>
              {!notification.readAt && (
                <button type="button" disabled={marking.loading} onClick={() => void markRead({ variables: { id: notification.id } }).catch(() => undefined)}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {notifications?.pageInfo.hasNextPage && (
        <button type="button" className="more" disabled={loading} onClick={() => void fetchMore({ variables: { after: notifications.pageInfo.endCursor } })}>
          More notifications
        </button>
      )}
    </section>
  );
}
