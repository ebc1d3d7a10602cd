import { describe, expect, it } from 'vitest';
import { duplicateStoreWarning } from './storeDuplicates';

const existing = [
  { name: 'Main shop', channel: 'SHOPIFY' as const, baseUrl: 'https://acme.myshopify.com' },
  { name: 'Warehouse', channel: 'SHIPSTATION' as const, baseUrl: 'https://ssapi.shipstation.com' },
];

describe('duplicateStoreWarning', () => {
  it('names the store already connected at the same address, whatever its case or trailing slash', () => {
    expect(duplicateStoreWarning('SHOPIFY', 'https://ACME.myshopify.com/', existing)).toBe(
      'This store is already connected as “Main shop”. Connecting it again would bring every order in twice: change that connection’s settings instead.',
    );
    expect(duplicateStoreWarning('SHOPIFY', 'https://other.myshopify.com', existing)).toBeNull();
    expect(duplicateStoreWarning('WOOCOMMERCE', 'https://acme.myshopify.com', existing)).toBeNull();
  });

  it('names every ShipStation connection, as their shared API address cannot tell accounts apart', () => {
    expect(duplicateStoreWarning('SHIPSTATION', 'https://ssapi.shipstation.com', existing)).toMatch(/^ShipStation is already connected as “Warehouse”\./);
  });
});
