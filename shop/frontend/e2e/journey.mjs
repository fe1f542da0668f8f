// The SPA's journey in headless Chromium: browse -> cart -> login -> checkout -> pay -> order.
// Against the live API (Django on a real port, seeded), through the built bundle served by
// `vite preview` with the same proxy as `make spa`. Run by .ci/spa.sh, which starts both.
//   SPA_URL=http://127.0.0.1:9150/app/ node e2e/journey.mjs
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const SPA = process.env.SPA_URL ?? "http://127.0.0.1:9150/app/";
const OUT = new URL("./out/", import.meta.url).pathname;
const TIMEOUT = 15_000;
mkdirSync(OUT, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
// SPA_INSECURE_TLS=1 when the journey goes through nginx with the self-signed certificate.
const context = await browser.newContext({ ignoreHTTPSErrors: process.env.SPA_INSECURE_TLS === "1" });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();

// Any script error or CSP violation fails the journey, even if the steps still pass.
const problems = [];
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
page.on("console", (message) => {
  // The browser logs every 4xx it fetched ("Failed to load resource"); the steps expect
  // some (the silent refresh before login is a 401, the bad country a 400).
  if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
    problems.push(`console: ${message.text()}`);
  }
});
page.on("response", (response) => {
  if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
});

let stepNumber = 0;
async function step(name, body) {
  stepNumber += 1;
  const started = Date.now();
  try {
    await body();
    console.log(`  ok  ${stepNumber}. ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    await page.screenshot({ path: `${OUT}${stepNumber}-FAILED.png`, fullPage: true }).catch(() => {});
    console.error(`FAIL  ${stepNumber}. ${name}: ${error.message}\n  at ${page.url()}`);
    await browser.close();
    process.exit(1);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const refreshCookie = async () => (await context.cookies()).find((c) => c.name === "refresh_token");

await step("browse: the catalog lists the seeded products", async () => {
  await page.goto(SPA);
  await page.getByRole("heading", { name: "Catalog" }).waitFor();
  await page.locator(".products li").first().waitFor();
});

await step("search: 'linen' finds the linen shirt", async () => {
  await page.getByRole("searchbox", { name: "Search" }).fill("linen");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/search=linen/);
  await page.getByRole("link", { name: "Linen shirt" }).click();
  await page.getByRole("heading", { name: "Linen shirt" }).waitFor();
});

await step("cart: a visitor adds two units, kept in the tab until login", async () => {
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.getByRole("status").filter({ hasText: "Added 2" }).waitFor();
  await page.getByRole("link", { name: "Cart (2)" }).click();
  await page.getByRole("heading", { name: "Your cart" }).waitFor();
  expect((await page.locator("table.cart tr").count()) === 1, "one line in the cart");
});

await step("login: checkout asks for it, then the visitor's cart joins the account's", async () => {
  await page.getByRole("link", { name: "Check out" }).click();
  await page.waitForURL(/\/app\/login\?next=/);
  await page.getByLabel("Email").fill("customer@shop.example");
  await page.getByLabel("Password").fill("demo-pass-2024");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("heading", { name: "Checkout" }).waitFor();
  const cookie = await refreshCookie();
  expect(cookie?.httpOnly && cookie.secure && cookie.sameSite === "Strict", "refresh cookie is httpOnly, Secure, Strict");
  expect(!(await page.evaluate(() => document.cookie)).includes("refresh_token"), "script cannot read the refresh token");
  expect(!(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).includes("eyJ"), "no JWT in web storage");
});

await step("checkout: the API's field error shows under its field", async () => {
  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Address", { exact: true }).fill("12 Analytical Row");
  await page.getByLabel("Postcode").fill("75001");
  await page.getByLabel("City").fill("Paris");
  await page.getByLabel("Country (2 letters)").fill("France"); // refused by the server, not by the form
  await page.getByRole("button", { name: "Place order and pay" }).click();
  // The message is Django's (CheckoutSerializer's regex), shown under the country field.
  const countryError = page.locator("label", { hasText: "Country" }).getByRole("alert");
  await countryError.waitFor();
  expect((await countryError.textContent()).length > 0, "the country field shows the API's message");
  await page.getByLabel("Country (2 letters)").fill("FR");
  await page.getByRole("button", { name: "Place order and pay" }).click();
});

await step("pay: the provider's hosted page, then back to the SPA's order page", async () => {
  await page.waitForURL(/\/payments\/sandbox\/.*return_to=/);
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.waitForURL(/\/app\/orders\/\d+$/);
  // A full page load: the access token was in memory and is gone; the cookie brings it back.
  await page.getByRole("heading", { name: /^Order / }).waitFor();
  await page.getByTestId("order-status").filter({ hasText: "paid" }).waitFor(); // after the webhook
});

await step("my orders: the paid order is listed", async () => {
  const number = (await page.getByRole("heading", { name: /^Order / }).textContent()).replace("Order ", "");
  await page.locator("header").getByRole("link", { name: "My orders" }).click();
  await page.getByRole("link", { name: number }).waitFor();
  await page.screenshot({ path: `${OUT}journey-orders.png`, fullPage: true });
});

await step("logout: the refresh cookie is gone and a reload stays logged out", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  await page.getByRole("link", { name: "Log in" }).waitFor();
  expect(!(await refreshCookie()), "the refresh cookie is deleted");
  await page.reload();
  await page.getByRole("link", { name: "Log in" }).waitFor();
});

await browser.close();
if (problems.length) {
  console.error(`FAIL  the journey logged errors:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`SPA journey: ${stepNumber} steps passed`);
