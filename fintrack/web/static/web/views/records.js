// The month's incomes and expenses: a list with edit and delete, and one form to add or edit.
// Category and tag suggestions come from the user's own, fetched the first time the form is
// used (not on the first view, which stays within its six requests).
import { api } from "../api.js";
import { cell, clearErrors, fillOptions, localToday, onSubmit } from "../forms.js";

const PAGE = 500;
const plural = { income: "incomes", expense: "expenses" };
let editing = null; // {kind, id} of the record in the form, or null when adding
let suggestions = null; // {income: [...], expense: [...], tags: [...] | null}
let currency = "";

const form = () => document.getElementById("record-form");

export function setCurrency(code) {
  currency = code;
}

export async function loadRecords(month) {
  const [incomes, expenses] = await Promise.all(
    ["income", "expense"].map((kind) =>
      api("GET", `${plural[kind]}/?month=${month}&page_size=${PAGE}&ordering=-date,-created_at`),
    ),
  );
  return { incomes, expenses };
}

function sortKey(record) {
  return `${record.date}|${record.created_at}`;
}

function button(text, label, handler) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.addEventListener("click", handler);
  return b;
}

export function renderRecords({ incomes, expenses }, reload) {
  const records = [
    ...incomes.results.map((r) => ({ ...r, kind: "income" })),
    ...expenses.results.map((r) => ({ ...r, kind: "expense" })),
  ].sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : -1));
  const rows = records.map((record) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "record-row";
    tr.dataset.kind = record.kind;
    tr.dataset.id = record.id;
    const amount = cell(`${record.kind === "expense" ? "-" : "+"}${record.amount} ${currency}`, "num");
    amount.classList.add(record.kind);
    const tags = record.tags && record.tags.length ? ` [${record.tags.join(", ")}]` : "";
    const what = `${record.kind} of ${record.amount} on ${record.date}`;
    const actions = document.createElement("td");
    actions.className = "actions";
    actions.append(
      button("Edit", `Edit the ${what}`, () => startEdit(record)),
      button("Delete", `Delete the ${what}`, async () => {
        if (!window.confirm(`Delete the ${what}?`)) return;
        await api("DELETE", `${plural[record.kind]}/${record.id}/`);
        if (editing && editing.id === record.id && editing.kind === record.kind) stopEdit();
        await reload();
        document.getElementById("records-title").focus(); // its row, and button, are gone
      }),
    );
    tr.append(cell(record.date), cell(record.category), cell(record.description + tags), amount, actions);
    return tr;
  });
  document.getElementById("record-rows").replaceChildren(...rows);
  document.getElementById("record-empty").hidden = rows.length > 0;
  const more = document.getElementById("record-more");
  const shown = incomes.results.length + expenses.results.length;
  const total = incomes.count + expenses.count;
  more.hidden = shown === total;
  more.textContent = `Showing the latest ${shown} of ${total} records of the month.`;
}

function startEdit(record) {
  const f = form();
  clearErrors(f);
  editing = { kind: record.kind, id: record.id };
  f.elements.kind.value = record.kind;
  f.elements.kind.disabled = true; // an income cannot become an expense: another endpoint
  for (const name of ["amount", "date", "category", "description"]) f.elements[name].value = record[name];
  f.elements.tags.value = (record.tags || []).join(", ");
  document.getElementById("record-form-title").textContent = "Edit the record";
  document.getElementById("record-submit").textContent = "Save";
  document.getElementById("record-cancel").hidden = false;
  updateCategoryList();
  f.elements.amount.focus();
}

function stopEdit() {
  const f = form();
  editing = null;
  f.elements.kind.disabled = false;
  f.elements.amount.value = "";
  f.elements.description.value = "";
  f.elements.tags.value = "";
  clearErrors(f);
  document.getElementById("record-form-title").textContent = "Add a record";
  document.getElementById("record-submit").textContent = "Add";
  document.getElementById("record-cancel").hidden = true;
}

async function allNames(path) {
  const page = await api("GET", `${path}page_size=500`);
  return page.results.map((item) => item.name);
}

/** The user's categories and tags, fetched once; tags stay null on a server without them. */
export async function loadSuggestions(force = false) {
  if (suggestions && !force) return suggestions;
  const [income, expense, tags] = await Promise.all([
    allNames("categories/?kind=income&"),
    allNames("categories/?kind=expense&"),
    allNames("tags/?").catch((error) => (error.status === 404 ? null : [])),
  ]);
  suggestions = { income, expense, tags };
  fillOptions(document.getElementById("expense-categories"), expense);
  document.getElementById("rf-tags-field").hidden = tags === null;
  updateCategoryList();
  fillTagOptions();
  return suggestions;
}

function updateCategoryList() {
  if (!suggestions) return;
  fillOptions(document.getElementById("record-categories"), suggestions[form().elements.kind.value]);
}

// A datalist suggests whole values, so for a comma-separated list each suggestion is what is
// typed so far plus one of the user's tags not yet in it.
function fillTagOptions() {
  if (!suggestions || !suggestions.tags) return;
  const input = form().elements.tags;
  const parts = input.value.split(",");
  const done = parts.slice(0, -1).map((t) => t.trim()).filter(Boolean);
  const prefix = done.length ? `${done.join(", ")}, ` : "";
  const taken = new Set(done.map((t) => t.toLowerCase()));
  const options = suggestions.tags.filter((t) => !taken.has(t.toLowerCase())).map((t) => prefix + t);
  fillOptions(document.getElementById("tag-suggestions"), options);
}

export function setUpRecordForm({ month, reload }) {
  const f = form();
  f.addEventListener("focusin", () => loadSuggestions().catch(() => {}), { once: true });
  f.elements.kind.addEventListener("change", updateCategoryList);
  f.elements.tags.addEventListener("input", fillTagOptions);
  document.getElementById("record-cancel").addEventListener("click", stopEdit);
  onSubmit(f, async (data) => {
    const body = { amount: data.amount, date: data.date, description: data.description };
    if (data.category) body.category = data.category;
    if (!document.getElementById("rf-tags-field").hidden) {
      body.tags = data.tags.split(",").map((t) => t.trim()).filter(Boolean);
    }
    if (editing) {
      await api("PATCH", `${plural[editing.kind]}/${editing.id}/`, body);
      stopEdit();
    } else {
      await api("POST", `${plural[f.elements.kind.value]}/`, body);
      f.elements.amount.value = "";
      f.elements.description.value = "";
      f.elements.tags.value = "";
      f.elements.amount.focus();
    }
    await reload();
    loadSuggestions(true).catch(() => {});
  });
  const resetDate = () => {
    const m = month();
    const today = localToday();
    if (!editing) f.elements.date.value = today.startsWith(m) ? today : `${m}-01`;
  };
  return resetDate;
}
