// Signed out: sign in, sign up, and (when the server has it) a password reset by email code.
import { anonymous, exists, signIn } from "../api.js";
import { onSubmit } from "../forms.js";

const $ = (id) => document.getElementById(id);

function showReset(step) {
  $("reset-form").hidden = step !== "request";
  $("reset-confirm-form").hidden = step !== "confirm";
}

export function setUpAuth({ signedIn, say }) {
  onSubmit($("sign-in-form"), async (data) => {
    await signIn(data.username, data.password);
    $("sign-in-form").reset();
    await signedIn(data.username);
  });

  onSubmit($("sign-up-form"), async (data) => {
    await anonymous("POST", "register/", data);
    await signIn(data.username, data.password);
    $("sign-up-form").reset();
    await signedIn(data.username);
  });

  $("forgot-link").addEventListener("click", (event) => {
    event.preventDefault();
    showReset("request");
    $("rs-email").focus();
  });

  onSubmit($("reset-form"), async (data) => {
    await anonymous("POST", "password-reset/", { email: data.email });
    say("If an account has this email, a code is on its way. Enter it below.");
    showReset("confirm");
    $("rc-uid").focus();
  });

  onSubmit($("reset-confirm-form"), async (data) => {
    await anonymous("POST", "password-reset/confirm/", data);
    $("reset-confirm-form").reset();
    showReset(null);
    say("Your password has changed: sign in with it.");
    $("si-username").focus();
  });
}

/** Shows the signed-out view; the reset link only where POST /api/password-reset/ exists. */
export async function showAuth() {
  $("auth-view").hidden = false;
  const link = new URLSearchParams(window.location.search);
  if (link.get("uid") && link.get("token")) {
    // Arrived from the reset email's link (PASSWORD_RESET_URL pointing at /app/?uid=&token=).
    $("rc-uid").value = link.get("uid");
    $("rc-token").value = link.get("token");
    showReset("confirm");
    window.history.replaceState(null, "", window.location.pathname);
  }
  $("forgot-link").hidden = !(await exists("password-reset/"));
}

export function hideAuth() {
  $("auth-view").hidden = true;
  showReset(null);
}
