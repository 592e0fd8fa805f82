/* Service-point map (progressive enhancement): the list above works without it.
   Leaflet is vendored (static/guides/leaflet, 1.9.4, BSD-2-Clause); base tiles only when configured. */
(function () {
  "use strict";
  var form = document.getElementById("point-filters");
  var button = document.getElementById("use-location");
  if (button && navigator.geolocation && form) {
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        form.submit();
      }, function () { button.disabled = false; }, { timeout: 10000 });
    });
  }
  var el = document.getElementById("point-map");
  var data = document.getElementById("points-data");
  if (!el || !data || typeof L === "undefined") { if (el) { el.hidden = true; } return; }
  var features = JSON.parse(data.textContent).features || [];
  if (!features.length) { el.hidden = true; return; }
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { subdomains: "01234567", maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  var layer = L.geoJSON(features, {
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8, color: "#b71c1c", weight: 2, fillOpacity: 0.7 }); },
    onEachFeature: function (f, lyr) {
      var a = document.createElement("a");
      a.href = f.properties.url; a.textContent = f.properties.name;
      var box = document.createElement("div"); box.appendChild(a);
      box.appendChild(document.createElement("br")); box.appendChild(document.createTextNode(f.properties.address));
      lyr.bindPopup(box);
    }
  });
  var bounds = layer.getBounds();
  var here = null;
  if (el.dataset.origin) {
    var o = el.dataset.origin.split(",");
    here = L.latLng(parseFloat(o[1]), parseFloat(o[0]));
    bounds.extend(here);
  }
  map.fitBounds(bounds.pad(0.2), { maxZoom: 15 });  // the view must exist before vector layers are added
  layer.addTo(map);
  if (here) { L.circleMarker(here, { radius: 6, color: "#0b57d0", fillOpacity: 1 }).addTo(map); }
})();
