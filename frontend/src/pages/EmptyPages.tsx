// Pages whose features arrive later. Each says plainly what it will hold;
// none shows invented data.
import { useTitle } from '../useTitle';

function EmptyPage({ title, intro, empty }: { title: string; intro: string; empty: string }) {
  useTitle(title);
  return (
    <div className="page">
      <header className="page-header">
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </header>
      <section className="panel">
        <p className="empty" data-testid="empty-state">
          {empty}
        </p>
      </section>
    </div>
  );
}

export const OrdersPage = () => (
  <EmptyPage
    title="Orders"
    intro="Orders from your stores and how each one was recorded in QuickBooks."
    empty="No orders yet. Orders pulled from your stores appear here with their sync state."
  />
);

export const ProductsPage = () => (
  <EmptyPage
    title="Products"
    intro="Store products and the QuickBooks items they map to."
    empty="No products yet. Products from your stores appear here with the QuickBooks item each one is mapped to."
  />
);

export const RulesPage = () => (
  <EmptyPage
    title="Rules"
    intro="Rules decide how orders are recorded in QuickBooks: accounts, customers, taxes and fees."
    empty="No rules yet. The rules that shape how orders are posted to QuickBooks appear here."
  />
);

export const InventoryPage = () => (
  <EmptyPage
    title="Inventory"
    intro="Stock levels in your stores compared with QuickBooks."
    empty="No inventory levels yet. Quantities on hand from QuickBooks and your stores appear here side by side."
  />
);
