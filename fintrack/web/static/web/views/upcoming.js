// Coming up: the next 30 days of the user's recurring rules (GET recurring/upcoming/), read
// when the section is opened, so that the first view stays at six requests.
import { api } from "../api.js";
import { cell } from "../forms.js";

const DAYS = 30;
const details = () => document.getElementById("upcoming");

/** Draws the forecast if the section is open (after each reload of the month, and on opening). */
export async function refreshUpcoming() {
  if (!details().open) return;
  const forecast = await api("GET", `recurring/upcoming/?days=${DAYS}`);
  const cur = forecast.currency;
  document.getElementById("upcoming-totals").textContent =
    `Income ${forecast.total_income} ${cur}, expenses ${forecast.total_expenses} ${cur}, ` +
    `net ${forecast.net} ${cur}`;
  const rows = forecast.occurrences.map((o) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "upcoming-row";
    const amount = cell(`${o.kind === "expense" ? "-" : "+"}${o.amount} ${cur}`, "num");
    amount.classList.add(o.kind);
    tr.append(cell(o.date), cell(o.category), cell(o.description), amount);
    return tr;
  });
  document.getElementById("upcoming-rows").replaceChildren(...rows);
  const note = document.getElementById("upcoming-note");
  note.hidden = rows.length > 0 && !forecast.truncated;
  note.textContent = rows.length
    ? `The first ${rows.length} are listed; the totals count them all.`
    : `Nothing recurring in the next ${DAYS} days: add a rule with POST /api/recurring/.`;
}

export function setUpUpcoming() {
  details().addEventListener("toggle", () => refreshUpcoming().catch(() => {}));
}
