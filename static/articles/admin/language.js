// The admin's language menu switches as soon as a language is chosen
// (a file, not an inline handler: the admin's CSP runs no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.getElementById("admin-language");
  if (menu) menu.addEventListener("change", () => menu.form.submit());
});
