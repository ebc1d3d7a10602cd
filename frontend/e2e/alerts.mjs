// The alerts and Web Connector health scenarios of the e2e run (issue 16), with what they need
// outside the browser: a local SMTP catcher (the server's LEDGERLINK_SMTP_URL points at it, see
// scripts/e2e.sh) and a webhook receiver that checks each call's signature itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

/**
 * A minimal SMTP server on 127.0.0.1:port (EHLO, MAIL, RCPT, DATA, QUIT; no TLS, no AUTH): enough
 * for Go's net/smtp client with no credentials. Keeps each message as {from, to, data}.
 */
export function startSmtpCatcher(port) {
  const mails = [];
  const server = createTcpServer((sock) => {
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let data = '';
    let mail = { from: '', to: [] };
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 e2e-catcher ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            mails.push({ ...mail, data });
            mail = { from: '', to: [] };
            data = '';
            say('250 queued');
          } else data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') say('250 e2e-catcher');
        else if (cmd === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          say('250 OK');
        } else if (cmd === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 OK');
        } else if (cmd === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (cmd === 'QUIT') {
          say('221 bye');
          sock.end();
        } else if (cmd === 'RSET' || cmd === 'NOOP') say('250 OK');
        else say('502 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ mails, close: () => server.close() }));
  });
}

/**
 * A webhook receiver on a free 127.0.0.1 port. Each call is kept with `verified`: its
 * X-Ledgerlink-Signature (t=<unix>,v1=<hex>) equals HMAC-SHA256(secret, "<t>.<raw body>"),
 * computed here with the secret the page showed.
 */
export function startWebhookReceiver() {
  const calls = [];
  const state = { secret: '' };
  const server = createHttpServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const parts = Object.fromEntries(
        String(req.headers['x-ledgerlink-signature'] ?? '')
          .split(',')
          .map((p) => p.split('=', 2)),
      );
      const want = createHmac('sha256', state.secret).update(`${parts.t}.`).update(body).digest();
      const got = Buffer.from(parts.v1 ?? '', 'hex');
      calls.push({ path: req.url, body: body.toString('utf8'), verified: got.length === want.length && timingSafeEqual(got, want) });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ calls, state, url: `http://127.0.0.1:${server.address().port}/hooks/ledgerlink`, close: () => server.close() }),
    ),
  );
}

/**
 * Settings → Alerts: choose events and recipients, save, keep the webhook secret shown once,
 * send a test alert and see both channels delivered — the e-mail in the catcher, the webhook
 * verified by the receiver — and listed under Latest deliveries.
 */
export async function alertSettingsScenario({ page, base, smtpPort, until }) {
  if (!smtpPort) throw new Error('E2E_SMTP_PORT is not set: scripts/e2e.sh starts the server with LEDGERLINK_SMTP_URL on that port');
  const smtp = await startSmtpCatcher(smtpPort);
  const hook = await startWebhookReceiver();
  try {
    await page.goto(`${base}/settings#alerts`);
    const section = page.getByTestId('alert-settings');
    const recipients = section.getByLabel('E-mail recipients');
    await recipients.waitFor({ state: 'visible' });
    await section.getByLabel('An inventory push fails').uncheck();
    await section.getByLabel('An order fails (its first failure)').check();
    await recipients.fill('ops@demo.test, owner@demo.test');
    await section.getByLabel('Webhook URL').fill(hook.url);
    await section.getByLabel('Digest at most every (minutes)').fill('15');
    await section.getByLabel('Order waiting threshold (hours)').fill('6');
    await section.getByRole('button', { name: 'Save alerts' }).click();
    const status = section.getByTestId('alert-settings-status');
    await until(async () => (await status.textContent()) === 'Saved. New alerts are sent at most every 15 minutes.', 'the settings should be saved');

    // The secret is shown once (a fresh account gets one with its first webhook URL; a re-run rotates).
    const secretBox = section.getByTestId('alert-webhook-secret');
    if (!(await secretBox.isVisible())) {
      await section.getByRole('button', { name: 'Rotate webhook secret' }).click();
      await section.getByRole('button', { name: 'Yes, rotate' }).click();
    }
    await secretBox.waitFor({ state: 'visible' });
    hook.state.secret = ((await secretBox.textContent()) ?? '').trim();
    if (!hook.state.secret.startsWith('whsec_')) throw new Error(`the webhook secret looks wrong: ${hook.state.secret.slice(0, 8)}…`);
    await section.getByRole('button', { name: 'I have stored the secret' }).click();

    await section.getByRole('button', { name: 'Send test alert' }).click();
    const results = section.getByTestId('alert-test-results');
    await until(async () => (await results.locator('li').count()) === 2, 'both channels should report');
    for (const channel of ['EMAIL', 'WEBHOOK']) {
      const li = results.locator(`li[data-channel="${channel}"]`);
      if ((await li.getAttribute('data-ok')) !== 'true') throw new Error(`${channel} test alert failed: ${await li.textContent()}`);
    }
    const mail = smtp.mails.at(-1);
    if (!mail || !mail.data.includes('Subject: Ledgerlink test alert') || mail.to.join(',') !== 'ops@demo.test,owner@demo.test') {
      throw new Error(`the catcher got ${smtp.mails.length} mails; last to ${mail?.to}, ${mail?.data.slice(0, 200)}`);
    }
    const call = hook.calls.at(-1);
    if (!call || !call.verified || JSON.parse(call.body).type !== 'alerts.test') {
      throw new Error(`webhook calls: ${JSON.stringify(hook.calls).slice(0, 300)}`);
    }
    const sent = section.getByTestId('alert-delivery-row').filter({ hasText: 'Test alert' });
    await until(async () => (await sent.count()) >= 2, 'the deliveries should list both test alerts');
    return `mail to ${mail.to.length} recipients, webhook signature verified`;
  } finally {
    smtp.close();
    hook.close();
  }
}

/**
 * The Web Connector health page of a company whose Web Connector signs in with a wrong password
 * twice: the status line says failing and the problems say what to do about the password.
 */
export async function webConnectorHealthScenario({ page, base, graphqlInPage }) {
  const created = await graphqlInPage(
    page,
    `mutation($input: CreateQuickBooksDesktopConnectionInput!) {
      createQuickBooksDesktopConnection(input: $input) { connection { id webConnectorUsername } } }`,
    { input: { name: `E2E health ${Date.now()}`, runEveryMinutes: 5 } },
  );
  const { id, webConnectorUsername } = created.createQuickBooksDesktopConnection.connection;
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${base}/qbwc`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '"http://developer.intuit.com/authenticate"' },
      body:
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
        `<authenticate xmlns="http://developer.intuit.com/"><strUserName>${webConnectorUsername}</strUserName>` +
        '<strPassword>not-the-password</strPassword></authenticate></soap:Body></soap:Envelope>',
    });
    const text = await res.text();
    if (!text.includes('nvu')) throw new Error(`a wrong password should be answered nvu, got ${res.status} ${text.slice(0, 200)}`);
  }
  await page.goto(`${base}/web-connector/${encodeURIComponent(id)}`);
  const statusLine = page.getByTestId('wc-status-line');
  await statusLine.waitFor({ state: 'visible' });
  await page.getByRole('heading', { name: /Status\s+Failing/ }).waitFor({ state: 'visible' });
  const problem = page.getByTestId('wc-problem-PASSWORD');
  await problem.waitFor({ state: 'visible' });
  const fix = (await problem.textContent()) ?? '';
  if (!fix.includes('What to do:')) throw new Error(`the password problem says no fix: ${fix}`);
  return (await statusLine.textContent())?.trim();
}
