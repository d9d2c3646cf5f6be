// Loaded before ReDoc's bundle: ReDoc's footer shows a logo fetched from Redocly's CDN, and the
// docs must make no request to another host. An image address on another origin is replaced by
// an empty one before the browser fetches it; ReDoc then drops the image (its onError) and
// keeps the "API docs by Redocly" link as text.
(function () {
  "use strict";
  function local(value) {
    var url;
    try {
      url = new URL(String(value), document.baseURI);
    } catch (error) {
      return value;
    }
    var remote = (url.protocol === "http:" || url.protocol === "https:") &&
      url.origin !== window.location.origin;
    return remote ? "data:," : value;
  }
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src") {
      value = local(value);
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      src.set.call(this, local(value));
    },
  });
})();
