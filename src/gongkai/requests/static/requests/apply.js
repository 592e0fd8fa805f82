// Progressive enhancement for the application form: show only the fields that apply to the
// chosen applicant type. Without JavaScript every field stays visible and the server validates.
(function () {
  "use strict";
  var person = ["id_id_type", "id_id_number"];
  var org = ["id_org_type", "id_credit_code", "id_legal_representative", "id_contact_person"];
  function toggle(ids, show) {
    ids.forEach(function (id) {
      var el = document.getElementById(id);
      var box = el && el.closest(".field");
      if (box) { box.hidden = !show; }
    });
  }
  function update() {
    var checked = document.querySelector("input[name=applicant_type]:checked");
    var value = checked ? checked.value : "";
    toggle(person, value !== "organisation");
    toggle(org, value !== "person");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[name=applicant_type]").forEach(function (r) {
      r.addEventListener("change", update);
    });
    update();
  });
})();
