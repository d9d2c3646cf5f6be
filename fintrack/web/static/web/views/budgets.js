// Budgets of the month: one bar per budget, coloured by the API's `state`; a form to set one.
// Budgets arrived with API v1.1: on a server without them (404) the section hides itself.
import { api } from "../api.js";
import { onSubmit } from "../forms.js";
import { loadSuggestions } from "./records.js";

const section = () => document.getElementById("budgets-section");

function bar(percent, state) {
  const track = document.createElement("div");
  track.className = "track";
  const fill = document.createElement("div");
  fill.className = `fill state-${state}`;
  // CSSOM, not a style attribute: allowed by the page's style-src 'self'.
  fill.style.width = `${Math.min(Number(percent ?? 100), 100)}%`;
  track.append(fill);
  return track;
}

export function renderBudgets(status) {
  if (status === null) {
    section().hidden = true;
    return;
  }
  section().hidden = false;
  const rows = status.categories.map((entry) => {
    const li = document.createElement("li");
    li.dataset.testid = "budget-row";
    li.dataset.state = entry.state;
    const head = document.createElement("p");
    head.className = "bar-head";
    const name = document.createElement("strong");
    name.textContent = entry.category;
    const figures = document.createElement("span");
    figures.textContent = `${entry.spent} of ${entry.available} ${status.currency}`;
    head.append(name, " ", figures);
    const foot = document.createElement("p");
    foot.className = `bar-foot state-text-${entry.state}`;
    const used = entry.percent_used === null ? "" : `${entry.percent_used} % used, `;
    foot.textContent = `${used}${entry.remaining} ${status.currency} left (${entry.state})`;
    li.append(head, bar(entry.percent_used, entry.state), foot);
    return li;
  });
  document.getElementById("budget-rows").replaceChildren(...rows);
  document.getElementById("budget-empty").hidden = rows.length > 0;
  document.getElementById("budget-unbudgeted").textContent =
    `Spent outside any budget: ${status.unbudgeted_spent} ${status.currency}`;
}

/** The month's status, or null when this server has no budgets (404). */
export async function loadBudgets(month) {
  try {
    return await api("GET", `budgets/status/?month=${month}`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export function setUpBudgetForm({ month, reload }) {
  const form = document.getElementById("budget-form");
  onSubmit(form, async (data) => {
    await api("POST", "budgets/", {
      category: data.category,
      amount: data.amount,
      rollover: data.rollover,
      start_month: month(),
    });
    form.reset();
    await reload();
    loadSuggestions(true).catch(() => {}); // the category may be new

  });
}
