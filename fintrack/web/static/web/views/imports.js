// Import: a bank CSV previewed (POST imports/), its rows with their verdicts, then committed,
// discarded or undone. Nothing is read before the user opens the section.
import { api } from "../api.js";
import { cell, onSubmit } from "../forms.js";

const SHOWN = 100;
const $ = (id) => document.getElementById(id);
let current = null; // the import on screen
let reload = async () => {};

function counts(batch) {
  if (batch.status === "undone") return `Undone: the ${batch.new} records it created are deleted.`;
  const [what, verb] = batch.status === "committed" ? ["Imported", "were"] : ["Preview", "would be"];
  return (
    `${what}: ${batch.rows} rows; ${batch.new} new ${verb} created, ` +
    `${batch.duplicates} duplicates skipped, ${batch.errors} with errors.`
  );
}

async function show(batch) {
  current = batch;
  $("import-result").hidden = false;
  $("import-counts").textContent = counts(batch);
  $("import-commit").hidden = batch.status !== "previewed" || batch.new === 0;
  $("import-discard").hidden = batch.status !== "previewed";
  $("import-undo").hidden = batch.status !== "committed";
  const page = await api("GET", `imports/${batch.id}/rows/?page_size=${SHOWN}`);
  const rows = page.results.map((row) => {
    const tr = document.createElement("tr");
    tr.dataset.testid = "import-row";
    tr.dataset.verdict = row.verdict;
    const record = row.record || {};
    const errors = Object.entries(row.errors || {})
      .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
      .join(" ");
    const sign = record.kind === "expense" ? "-" : "+";
    tr.append(
      cell(String(row.line)),
      cell(row.verdict),
      cell(record.date || ""),
      cell(record.description || ""),
      cell(record.amount ? `${sign}${record.amount}` : "", "num"),
      cell(errors),
    );
    return tr;
  });
  $("import-rows").replaceChildren(...rows);
  $("import-more").hidden = page.count <= SHOWN;
  $("import-more").textContent = `The first ${SHOWN} of ${page.count} rows are shown.`;
}

async function act(method, path) {
  const answer = await api(method, path);
  if (method === "DELETE") {
    current = null;
    $("import-result").hidden = true;
    $("import-form").reset();
  } else {
    await show(answer);
  }
  await reload();
}

export function setUpImport(options) {
  reload = options.reload;
  const form = $("import-form");
  onSubmit(form, async (data) => {
    const file = form.elements.file.files[0];
    if (!file) {
      throw { status: 400, fieldErrors: { file: ["Choose a CSV file."] } };
    }
    const query = new URLSearchParams({ date_format: data.date_format, decimal: data.decimal });
    await show(await api("POST", `imports/?${query}`, file));
  });
  $("import-commit").addEventListener("click", () => act("POST", `imports/${current.id}/commit/`));
  $("import-discard").addEventListener("click", () => act("DELETE", `imports/${current.id}/`));
  $("import-undo").addEventListener("click", () => act("POST", `imports/${current.id}/undo/`));
}
