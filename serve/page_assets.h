// The web page's files (serve/page/: index.html, app.js, style.css), compiled into the binary by
// serve/embed_page.cmake at build time. The server answers only from this table: no path from a
// request ever reaches the file system.
//
//   const PageAsset* a = FindPageAsset("/app.js");   // null for anything else
//   // a->content_type == "text/javascript; charset=utf-8", a->bytes the file
#ifndef WORDSPACE_SERVE_PAGE_ASSETS_H_
#define WORDSPACE_SERVE_PAGE_ASSETS_H_

#include <span>
#include <string_view>

namespace wordspace::serve {

struct PageAsset {
  std::string_view path;          // "/index.html", "/app.js", ...
  std::string_view content_type;  // with its charset
  std::string_view bytes;
};

// Every file, in the order serve/CMakeLists.txt lists them (defined in the generated
// page_assets.cc).
std::span<const PageAsset> PageAssets();

// The file served at `path` ("/" is "/index.html"), or null.
const PageAsset* FindPageAsset(std::string_view path);

}  // namespace wordspace::serve

#endif  // WORDSPACE_SERVE_PAGE_ASSETS_H_
