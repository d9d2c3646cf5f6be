// fintrack's dashboard: signed out it shows the sign-in view; signed in, the month's page,
// drawn from six API requests (summary, trends, budget status, goals, incomes, expenses).
import { api, isSignedIn, signOut, whenSignedOut } from "./api.js";
import { localToday } from "./forms.js";
import { hideAuth, setUpAuth, showAuth } from "./views/auth.js";
import { loadBudgets, renderBudgets, setUpBudgetForm } from "./views/budgets.js";
import * as goals from "./views/goals.js";
import * as records from "./views/records.js";
import { renderCards, renderCategories, renderTrend } from "./views/summary.js";
import { refreshUpcoming, setUpUpcoming } from "./views/upcoming.js";
import { setUpImport } from "./views/imports.js";

const $ = (id) => document.getElementById(id);
const picker = $("month-picker");
let resetRecordDate = () => {};
let loads = 0;

function say(text) {
  $("status").textContent = text;
}

function currentMonth() {
  return localToday().slice(0, 7); // the user's month; every request names it explicitly
}

function shiftMonth(month, by) {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

const month = () => picker.value || currentMonth();

async function load() {
  const m = month();
  say(`Loading ${m}…`);
  document.body.classList.add("loading");
  let answers;
  try {
    answers = await Promise.all([
      api("GET", `summary/?month=${m}`),
      api("GET", `summary/trends/?months=12&end=${m}`),
      loadBudgets(m),
      goals.loadGoals(),
      records.loadRecords(m),
    ]);
  } catch (error) {
    if (m !== month() || !isSignedIn()) return;
    // The figures on the page are still the last month shown: the picker says so again.
    const shown = document.body.dataset.loaded;
    if (shown) picker.value = shown;
    document.body.classList.remove("loading");
    const why = error?.status === 400 ? "there is no such month to show" : error?.message;
    say(`${m} could not be shown: ${why || "try again"}.${shown ? ` Still showing ${shown}.` : ""}`);
    return;
  }
  const [summary, trends, budgets, goalPage, list] = answers;
  if (m !== month()) return; // the user moved on while this month was loading
  goals.setCurrency(summary.currency);
  records.setCurrency(summary.currency);
  renderCards(summary);
  renderCategories(summary);
  renderTrend(trends);
  renderBudgets(budgets);
  goals.renderGoals(goalPage, load);
  records.renderRecords(list, load);
  refreshUpcoming().catch(() => {}); // a seventh request, only once the section is open
  resetRecordDate();
  document.body.classList.remove("loading");
  document.body.dataset.loaded = m; // tests and the performance timeline wait for these
  document.body.dataset.loads = String(++loads);
  performance.mark(`numbers-shown-${m}`);
  say("");
}

async function signedIn(username) {
  hideAuth();
  $("who-name").textContent = username;
  $("who").hidden = false;
  $("dashboard-view").hidden = false;
  picker.value = picker.value || currentMonth();
  await load();
  $("main").focus();
}

// Why the page was started afresh (?left=...): signing out, or a session that ended.
const LEFT = {
  "signed-out": "You are signed out.",
  "not-told": "You are signed out here, but fintrack could not be told: sign in and out again.",
  "session-ended": "Your session has ended: please sign in again.",
};

/** Starts the page afresh: nothing the last user saw or typed (figures, half-filled forms,
 * the suggestions of their categories and tags) is left for whoever signs in next. */
function leave(reason) {
  window.location.replace(`${window.location.pathname}?left=${reason}`);
}

function signedOut(message) {
  $("dashboard-view").hidden = true;
  $("who").hidden = true;
  delete document.body.dataset.loaded;
  say(message);
  showAuth();
  $("si-username").focus();
}

function start() {
  setUpAuth({ signedIn, say });
  whenSignedOut(() => leave("session-ended"));
  setUpBudgetForm({ month, reload: load });
  // The budget form's category suggestions are the record form's expense categories.
  $("budget-form").addEventListener("focusin", () => records.loadSuggestions().catch(() => {}), {
    once: true,
  });
  goals.setUpGoalForm({ reload: load });
  setUpUpcoming();
  setUpImport({ reload: load });
  resetRecordDate = records.setUpRecordForm({ month, reload: load });
  picker.addEventListener("change", () => picker.value && load());
  $("month-prev").addEventListener("click", () => {
    picker.value = shiftMonth(month(), -1);
    load();
  });
  $("month-next").addEventListener("click", () => {
    picker.value = shiftMonth(month(), 1);
    load();
  });
  $("sign-out").addEventListener("click", async () => {
    try {
      await signOut();
      leave("signed-out");
    } catch {
      leave("not-told");
    }
  });
  window.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    if (isSignedIn()) say(event.reason?.message || "Something went wrong; try again.");
  });
  const left = new URLSearchParams(window.location.search).get("left");
  if (left) window.history.replaceState(null, "", window.location.pathname);
  signedOut(LEFT[left] || "");
}

start();
