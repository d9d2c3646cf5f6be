// Savings goals: progress towards each target, what is needed a month, a form to add one and
// a small one per goal to put money aside.
import { api } from "../api.js";
import { onSubmit } from "../forms.js";

let currency = "";

function progress(goal) {
  const track = document.createElement("div");
  track.className = "track";
  const fill = document.createElement("div");
  fill.className = `fill ${goal.is_achieved ? "state-ok" : "state-goal"}`;
  fill.style.width = `${Number(goal.progress_percent)}%`;
  track.append(fill);
  return track;
}

function contributionForm(goal, reload) {
  const form = document.createElement("form");
  form.className = "mini-form";
  form.noValidate = true;
  const id = `contribute-${goal.id}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = `Put money aside for ${goal.name}`;
  const wrap = document.createElement("div");
  const input = document.createElement("input");
  input.id = id;
  input.name = "amount";
  input.inputMode = "decimal";
  input.autocomplete = "off";
  wrap.append(label, input);
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Add";
  const error = document.createElement("p");
  error.className = "form-error";
  error.setAttribute("role", "alert");
  form.append(error, wrap, button);
  onSubmit(form, async (data) => {
    await api("POST", `goals/${goal.id}/contributions/`, { amount: data.amount });
    await reload();
    document.getElementById(id)?.focus(); // the redrawn form's: the next amount goes there
  });
  return form;
}

export function renderGoals(page, reload) {
  const rows = page.results.map((goal) => {
    const li = document.createElement("li");
    li.dataset.testid = "goal-row";
    const head = document.createElement("p");
    head.className = "bar-head";
    const name = document.createElement("strong");
    name.textContent = goal.name;
    const figures = document.createElement("span");
    figures.textContent = `${goal.saved_amount} of ${goal.target_amount} ${currency}`;
    head.append(name, " ", figures);
    const foot = document.createElement("p");
    foot.className = "bar-foot";
    const parts = [`${goal.progress_percent} %`];
    if (goal.is_achieved) parts.push("reached");
    else if (goal.monthly_required !== null)
      parts.push(`${goal.monthly_required} ${currency} a month until ${goal.target_date}`);
    foot.textContent = parts.join(", ");
    li.append(head, progress(goal), foot, contributionForm(goal, reload));
    return li;
  });
  document.getElementById("goal-rows").replaceChildren(...rows);
  document.getElementById("goal-empty").hidden = rows.length > 0;
}

export function setCurrency(code) {
  currency = code;
}

export function loadGoals() {
  return api("GET", "goals/?page_size=100");
}

export function setUpGoalForm({ reload }) {
  const form = document.getElementById("goal-form");
  onSubmit(form, async (data) => {
    const body = { name: data.name, target_amount: data.target_amount };
    if (data.target_date) body.target_date = data.target_date;
    await api("POST", "goals/", body);
    form.reset();
    await reload();
  });
}
