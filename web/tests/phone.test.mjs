// Essor on a phone: as every role that has pages, at 360 and 390 px, no
// page scrolls sideways and the header's navigation takes at most two lines
// before the content; at 1280 px it takes one. The header's menus open with
// the keyboard, say which section is current, close with Escape and work
// without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, fromHeader } from './helpers.mjs';
import { seedDemo } from './demo-pages.mjs';

let essor;
let browser;
let demo;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  demo = await seedDemo(essor);
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

// layoutAt measures the page at the viewport's width: its scroll width, and
// the main navigation's lines (its height over one entry's) and bottom
// against the content's top.
function layoutAt(page) {
  return page.evaluate(() => {
    const nav = document.querySelector('.main-nav');
    const entry = nav.querySelector(':scope > ul > li');
    const box = nav.getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
      navLines: Math.round(box.height / entry.getBoundingClientRect().height),
      navBeforeContent: box.bottom <= document.querySelector('main').getBoundingClientRect().top + 1,
    };
  });
}

async function walk(who) {
  const page = await newPage(browser, essor.base);
  if (who !== 'anonymous') await signIn(page, demo.people[who].email, demo.people[who].password);
  const wrong = [];
  for (const path of demo.pages[who]) {
    const res = await page.goto(path);
    assert.equal(res.status(), 200, `${who} ${path}`);
    for (const width of [360, 390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      const m = await layoutAt(page);
      if (m.scrollWidth > m.width) wrong.push(`${path} at ${width} px scrolls sideways: ${m.scrollWidth} px wide`);
      const most = width < 1280 ? 2 : 1;
      if (m.navLines > most) wrong.push(`${path} at ${width} px: the navigation takes ${m.navLines} lines (at most ${most})`);
      if (!m.navBeforeContent) wrong.push(`${path} at ${width} px: the navigation overlaps the content`);
    }
  }
  await page.context().close();
  assert.deepEqual(wrong, [], `${who}:\n${wrong.join('\n')}`);
}

for (const who of ['anonymous', 'actor', 'officer', 'member1', 'organiser', 'juror', 'admin']) {
  test(`${who}: no page scrolls sideways on a phone, the navigation fits in two lines (one at 1280 px)`, () => walk(who));
}

test('the menus: keyboard, current section, Escape, a phone\'s width', async () => {
  const page = await newPage(browser, essor.base, { viewport: { width: 360, height: 740 } });
  await signIn(page, demo.people.admin.email, demo.people.admin.password);
  await page.goto('/admin/referentiel');
  const nav = page.getByRole('navigation', { name: 'Navigation principale' });
  const admin = nav.locator('summary', { hasText: 'Administration' });
  assert.equal(await admin.getAttribute('aria-current'), 'true');
  assert.equal(await nav.locator('summary', { hasText: 'Programmes' }).getAttribute('aria-current'), null);

  // The menu opens from the keyboard and its first link follows its button.
  await admin.focus();
  await page.keyboard.press('Enter');
  const current = nav.getByRole('link', { name: 'Thématiques et territoires' });
  await current.waitFor();
  assert.equal(await current.getAttribute('aria-current'), 'page');
  const m = await layoutAt(page);
  assert.ok(m.scrollWidth <= m.width, `an open menu widens the page: ${m.scrollWidth} px`);
  await audit(page);
  await shoot(page, 'menu-admin');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Comptes');
  await page.keyboard.press('Escape');
  await current.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Administration');

  // Opening another menu closes the first.
  await nav.locator('summary', { hasText: 'Programmes' }).click();
  await nav.getByRole('link', { name: 'Rally\'nov' }).waitFor();
  await (await fromHeader(page, 'Mes notifications')).waitFor();
  assert.equal(await nav.locator('details[open]').count(), 0);
  const m2 = await layoutAt(page);
  assert.ok(m2.scrollWidth <= m2.width, `the open account menu widens the page: ${m2.scrollWidth} px`);
  await audit(page);
  await shoot(page, 'menu-account');
  await page.context().close();
});

test('the menus work without JavaScript', async () => {
  const page = await newPage(browser, essor.base, { javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  await signIn(page, demo.people.officer.email, demo.people.officer.password);
  await (await fromHeader(page, 'Suivi des études-actions')).click();
  await page.waitForURL(/\/fonds-de-confiance\/suivi$/);
  const followup = page.getByRole('navigation', { name: 'Navigation principale' }).locator('summary', { hasText: 'Suivi' });
  assert.equal(await followup.getAttribute('aria-current'), 'true');
  await (await fromHeader(page, 'Se déconnecter', 'button')).click();
  await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).waitFor();
  await audit(page);
  await page.context().close();
});
