// Form helpers: read values by the API's field names, show the API's errors at their fields.

/** Today in the user's own time zone, YYYY-MM-DD: the day they mean when they record one (the
 * API's default, used only when no date is sent, is the UTC day). */
export function localToday() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function values(form) {
  const out = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") out[element.name] = element.checked;
    else out[element.name] = element.value.trim();
  }
  return out;
}

export function clearErrors(form) {
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((input) => {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
  const general = form.querySelector(".form-error");
  if (general) general.textContent = "";
}

/** Puts each message of a problem's `errors` under the input of that name; the rest on top. */
export function showErrors(form, error) {
  clearErrors(form);
  const general = [];
  const fields = error.fieldErrors || {};
  for (const [key, messages] of Object.entries(fields)) {
    const name = key.split(".")[0]; // "tags.0": an item of the list the input `tags` holds
    const input = form.elements.namedItem(name);
    const text = [].concat(messages).join(" ");
    const earlier = input && input.id && document.getElementById(`${input.id}-error`);
    if (earlier) {
      earlier.textContent += ` ${text}`;
    } else if (input && input.id) {
      const note = document.createElement("p");
      note.className = "field-error";
      note.id = `${input.id}-error`;
      note.dataset.field = name;
      note.textContent = text;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      (input.closest("div") || input).after(note);
    } else {
      // A field this form has no input for (a budget's start_month, set for the user): the
      // message says what is wrong by itself; the API's field name would mean nothing here.
      general.push(text);
    }
  }
  if (!Object.keys(fields).length) general.push(error.message);
  const box = form.querySelector(".form-error");
  if (box) box.textContent = general.join(" ");
  const first = form.querySelector("[aria-invalid]");
  if (first) {
    first.focus();
  } else if (box && box.textContent) {
    box.tabIndex = -1; // no field to blame (a wrong password): the message takes the focus
    box.focus();
  }
}

const unreachable = { fieldErrors: {}, message: "fintrack could not be reached; try again." };

/** Runs `action` for a submitted form, disabling it meanwhile and showing errors in place. */
export function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    try {
      await action(values(form));
    } catch (error) {
      showErrors(form, error.status === undefined ? unreachable : error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
}

export function fillOptions(datalist, names) {
  datalist.replaceChildren(
    ...names.map((name) => {
      const option = document.createElement("option");
      option.value = name;
      return option;
    }),
  );
}

export function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}
