import { Link, useLocation } from '../router';
import { useTitle } from '../useTitle';

export function NotFoundPage() {
  useTitle('Page not found');
  const { pathname } = useLocation();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Page not found</h1>
      </header>
      <section className="panel">
        <p>
          There is no page at <code>{pathname}</code>. <Link to="/">Go to the dashboard</Link>.
        </p>
      </section>
    </div>
  );
}
