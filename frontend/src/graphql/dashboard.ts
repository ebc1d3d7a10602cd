// The GraphQL documents of the dashboard.
import { gql } from './gql';

export const DASHBOARD_QUERY = gql`query Dashboard {
  dashboard {
    errorsLast24h
    warningsLast24h
    infoLast24h
    activeApiKeys
    worker {
      lastHeartbeatAt
      healthy
      queues { name pending active scheduled retry archived processedToday failedToday }
    }
  }
}`;

/** Asked separately, so the cards do not depend on it. */
export const DASHBOARD_MISSING_QUERY = gql`query DashboardMissingProducts {
  missingProducts { sku orders }
}`;

/** The alerts whose condition persists, newest first (the dashboard shows the first few). */
export const DASHBOARD_ALERTS_QUERY = gql`query DashboardOpenAlerts($first: Int!) {
  alerts(first: $first, open: true) {
    totalCount
    edges { node { id kind message link raisedAt } }
  }
}`;
