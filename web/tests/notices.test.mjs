// A public service's notices (issue 21) in a real browser, and what the
// accessibility statement says was checked on the public pages: axe-core,
// keyboard use (skip link first, every control reached with Tab, focus
// visible), 200% zoom (no horizontal scrolling at half a laptop's width)
// and use without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let needPath;

const NOTICES = [
  ['/accessibilite', 'Déclaration d\'accessibilité'],
  ['/mentions-legales', 'Mentions légales'],
  ['/donnees-personnelles', 'Données personnelles'],
  ['/contact', 'Contact'],
  ['/donnees-ouvertes', 'Données ouvertes'],
];

// The pages anyone may open without an account.
function publicPages() {
  return ['/', '/besoins', needPath, '/connexion', '/indicateurs', '/indicateurs/territoires/70',
    `/indicateurs/rapport/${new Date().getFullYear()}`, '/fonds-de-confiance', '/appels', '/rallye',
    ...NOTICES.map(([path]) => path)];
}

before(async () => {
  essor = await startEssor({
    ESSOR_NOTICE_PUBLISHER: 'Région Exemple, 4 square Castan, 25000 Besançon',
    ESSOR_NOTICE_DIRECTOR: 'La présidente du conseil régional',
    ESSOR_NOTICE_HOST: 'Hébergeur Public SAS, 1 rue du Serveur, 69000 Lyon',
    ESSOR_NOTICE_CONTACT: 'Équipe Essor, essor@region.example',
    ESSOR_NOTICE_DPO: 'dpo@region.example',
  });
  browser = await launchBrowser();
  const actor = essor.addUser('asso@vesoul.example', 'Julie Roux', 'actor', 'Familles rurales de Vesoul');
  const res = await fetch(essor.base + '/api/v1/sessions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: actor.email, password: PASSWORD }),
  });
  const { token } = await res.json();
  const r = await fetch(essor.base + '/api/v1/needs', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: 'Transport solidaire vers les marchés de Vesoul', territory_code: '70', theme: 'mobility',
      description: 'Les personnes âgées des villages n’ont plus de transport vers les marchés le samedi.' }),
  });
  assert.equal(r.status, 201);
  needPath = `/besoins/${(await r.json()).id}`;
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('the notices, reached from the footer, pass axe with and without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const page = await newPage(browser, essor.base, { javaScriptEnabled });
    await page.goto('/');
    const footer = page.getByRole('navigation', { name: 'Informations sur le site' });
    await footer.getByRole('link', { name: 'Accessibilité : non conforme' }).waitFor();
    await footer.getByRole('link', { name: 'API pour les outils partenaires (OpenAPI)' }).waitFor();
    for (const [path, heading] of NOTICES) {
      await page.goto('/');
      await footer.getByRole('link', { name: path === '/accessibilite' ? 'Accessibilité : non conforme' : heading, exact: true }).click();
      await page.waitForURL((u) => u.pathname === path);
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      assert.equal(await footer.locator('[aria-current="page"]').getAttribute('href'), path);
      assert.ok((await page.locator('meta[name="description"]').getAttribute('content')).length > 40, `${path}: description`);
      await audit(page);
      if (javaScriptEnabled) await shoot(page, `notice${path.replaceAll('/', '-')}`);
    }
    await page.goto('/accessibilite');
    await page.getByText('Essor est non conforme avec le RGAA, version 4.1.').waitFor();
    await page.getByRole('link', { name: 'essor@region.example' }).first().waitFor();
    await page.goto('/mentions-legales');
    await page.getByText('Hébergeur Public SAS, 1 rue du Serveur, 69000 Lyon').waitFor();
    await page.context().close();
  }
});

test('keyboard: the skip link comes first, every control is reached with Tab and shows its focus', async () => {
  const page = await newPage(browser, essor.base);
  for (const path of publicPages()) {
    await page.goto(path);
    await page.waitForLoadState('load');
    // Number what a keyboard should reach, in document order.
    const expected = await page.evaluate(() => {
      const all = document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]');
      let n = 0;
      for (const el of all) {
        if (el.disabled || el.tabIndex < 0 || !el.checkVisibility()) continue;
        el.dataset.kb = String(n++);
      }
      return n;
    });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link', `${path}: the skip link comes first`);
    const reached = new Set();
    const unseen = [];
    let last;
    // A date field takes one Tab per part (day, month, year): three per field at most.
    for (let i = 0; i < 3 * expected + 5; i++) {
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
        return { kb: el.dataset.kb, visible, what: `${el.tagName} ${el.textContent.trim().slice(0, 40)}` };
      });
      if (at.kb !== last) {
        if (at.kb === undefined || reached.has(at.kb)) break; // past the last control, or round again
        reached.add(at.kb);
        if (!at.visible) unseen.push(at.what);
        last = at.kb;
      }
      await page.keyboard.press('Tab');
    }
    assert.equal(reached.size, expected, `${path}: ${reached.size} of ${expected} controls reached with Tab`);
    assert.deepEqual(unseen, [], `${path}: focus not visible on`);
    // The skip link leads to the content.
    await page.goto(path);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contenu', `${path}: the skip link leads to the content`);
  }
  await page.context().close();
});

test('200% zoom: the public pages fit half a laptop\'s width without horizontal scrolling', async () => {
  const page = await newPage(browser, essor.base, { viewport: { width: 683, height: 450 } });
  const wide = [];
  for (const path of publicPages()) {
    await page.goto(path);
    await page.waitForLoadState('load');
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
    }));
    if (scroll > client + 1) wide.push(`${path}: ${scroll} px for ${client}`);
  }
  assert.deepEqual(wide, [], 'pages wider than the window at 200% zoom');
  await page.context().close();
});
