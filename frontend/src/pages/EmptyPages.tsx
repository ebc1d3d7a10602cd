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

export const InventoryPage = () => (
  <EmptyPage
    title="Inventory"
    intro="Stock levels in your stores compared with QuickBooks."
    empty="No inventory levels yet. Quantities on hand from QuickBooks and your stores appear here side by side."
  />
);
