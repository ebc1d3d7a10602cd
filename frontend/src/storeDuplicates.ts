// The Add store wizard's early warning that a store account is already connected: pulling the
// same account twice brings every order in twice.
import type { Channel } from './graphql/schema';

/** The host and path of a store address, for comparison ("https://Shop.example/" = "shop.example"). */
function place(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    return (u.hostname.toLowerCase() + u.pathname.replace(/\/+$/, '')).replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * Says which existing store the one being added may duplicate, or null. Shopify and WooCommerce
 * stores are told apart by their address; every ShipStation account shares one API address, so
 * any ShipStation connection is named (the API key, which tells accounts apart, is never sent
 * back to the browser).
 */
export function duplicateStoreWarning(channel: Channel, baseUrl: string, existing: readonly { name: string; channel: Channel; baseUrl: string }[]): string | null {
  const same = existing.filter((s) => s.channel === channel);
  if (same.length === 0) return null;
  if (channel === 'SHIPSTATION') {
    const names = same.map((s) => `“${s.name}”`).join(', ');
    return `ShipStation is already connected as ${names}. If these API keys are for the same ShipStation account, every order would come in twice: change that connection instead.`;
  }
  const here = place(baseUrl);
  const twin = here ? same.find((s) => place(s.baseUrl) === here) : undefined;
  return twin
    ? `This store is already connected as “${twin.name}”. Connecting it again would bring every order in twice: change that connection’s settings instead.`
    : null;
}
