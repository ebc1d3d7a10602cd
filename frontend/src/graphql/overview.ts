// The GraphQL documents of the dashboard's store and QuickBooks company cards, charts and
// "Needs attention" list.
import { gql } from './gql';

export const OVERVIEW_QUERY = gql`query Overview($timeZone: String, $days: Int) {
  overview(timeZone: $timeZone, days: $days) {
    stores {
      connection { id channel name quickBooksConnectionId enabled lastSyncAt lastSyncError sync { state } }
      nextPullAt ordersToday ordersLast7Days waiting inError needsMapping
    }
    days { day errors inventoryUpdated inventoryFailed posted { connectionId count } }
    needsAttention { id number state stateReason connectionId updatedAt }
    sweeps { day storeCount ourCount postedCount gapCount error sweptAt store { id name } }
  }
  quickBooksDesktopConnections(first: 100) {
    edges { node { id name runEveryMinutes lastContactAt work { queued inFlight inDoubt failed } health { status since summary } } }
  }
}`;
