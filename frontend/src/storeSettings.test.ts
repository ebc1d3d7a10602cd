import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POSTING_SETTINGS,
  baseUrlProblem,
  credentialsInput,
  fromLocalInput,
  intervalProblem,
  lastDayRange,
  missingCredentialField,
  parseStatuses,
  settingsInput,
  settingsToForm,
  syncActive,
  toLocalInput,
} from './storeSettings';

describe('store settings', () => {
  it('turns the status list people type into the list the server takes', () => {
    expect(parseStatuses('')).toEqual([]);
    expect(parseStatuses('  ,  ')).toEqual([]);
    expect(parseStatuses(' paid, shipped,,Paid , awaiting_shipment ')).toEqual(['paid', 'shipped', 'awaiting_shipment']);
  });

  it('sends every setting, and the single customer only when matching to one customer', () => {
    const form = settingsToForm({ ...DEFAULT_POSTING_SETTINGS, singleCustomer: 'Web Store', statuses: ['paid'] });
    expect(form.statuses).toBe('paid');
    expect(settingsInput(form)).toEqual({ ...DEFAULT_POSTING_SETTINGS, statuses: ['paid'] });
    expect(settingsInput({ ...form, customerMatch: 'SINGLE' }).singleCustomer).toBe('Web Store');
  });

  it('keeps only the credentials of the channel', () => {
    const all = { accessToken: ' t ', consumerKey: 'ck', consumerSecret: 'cs', apiKey: 'k', apiSecret: 's' };
    expect(credentialsInput('SHOPIFY', all)).toEqual({ accessToken: 't' });
    expect(credentialsInput('WOOCOMMERCE', all)).toEqual({ consumerKey: 'ck', consumerSecret: 'cs' });
    expect(credentialsInput('SHIPSTATION', all)).toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(missingCredentialField('SHIPSTATION', { apiKey: 'k' })?.message).toBe('Enter the API secret.');
    expect(missingCredentialField('SHOPIFY', {})?.message).toBe('Enter the Admin API access token.');
    expect(missingCredentialField('WOOCOMMERCE', { consumerKey: 'ck', consumerSecret: 'cs' })).toBeNull();
  });

  it('sends Shopify’s app client secret only when filled, and never asks for it', () => {
    expect(credentialsInput('SHOPIFY', { accessToken: 't', webhookSecret: '  ' })).toEqual({ accessToken: 't' });
    expect(credentialsInput('SHOPIFY', { accessToken: 't', webhookSecret: ' shpss_1 ' })).toEqual({ accessToken: 't', webhookSecret: 'shpss_1' });
    expect(credentialsInput('WOOCOMMERCE', { consumerKey: 'ck', consumerSecret: 'cs', webhookSecret: 'x' })).toEqual({ consumerKey: 'ck', consumerSecret: 'cs' });
    expect(missingCredentialField('SHOPIFY', { accessToken: 't' })).toBeNull();
    expect(missingCredentialField('SHOPIFY', { webhookSecret: 'shpss_1' })?.message).toBe('Enter the Admin API access token.');
  });

  it('checks addresses and intervals as the server does', () => {
    expect(baseUrlProblem('SHOPIFY', 'https://acme.myshopify.com')).toBeNull();
    expect(baseUrlProblem('SHIPSTATION', 'http://127.0.0.1:8080/sim/shipstation')).toBeNull();
    expect(baseUrlProblem('SHOPIFY', 'acme.myshopify.com')).toMatch(/starting with https/);
    expect(baseUrlProblem('WOOCOMMERCE', 'https://shop.example.com/?x=1')).toMatch(/starting with https/);
    expect(baseUrlProblem('WOOCOMMERCE', 'ftp://shop.example.com')).toMatch(/starting with https/);
    expect(baseUrlProblem('WOOCOMMERCE', ' ')).toMatch(/^Enter the store url/);
    expect(intervalProblem('15')).toBeNull();
    expect(intervalProblem('0')).not.toBeNull();
    expect(intervalProblem('1441')).not.toBeNull();
    expect(intervalProblem('2.5')).not.toBeNull();
  });

  it('converts datetime-local values and defaults Manual Sync to the last 24 hours', () => {
    const d = new Date(2026, 10, 20, 9, 5, 42);
    expect(toLocalInput(d)).toBe('2026-11-20T09:05');
    expect(fromLocalInput('2026-11-20T09:05')!.getTime()).toBe(new Date(2026, 10, 20, 9, 5).getTime());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('20/11/2026')).toBeNull();
    expect(lastDayRange(d)).toEqual({ from: '2026-11-19T09:05', to: '2026-11-20T09:05' });
    expect(syncActive({ state: 'queued' })).toBe(true);
    expect(syncActive({ state: 'running' })).toBe(true);
    expect(syncActive({ state: 'done' })).toBe(false);
    expect(syncActive(null)).toBe(false);
  });
});
