// OpenDocument (odt ods odp odg and their templates): Basic and script libraries, event
// listeners, macro links, OLE, applet and plugin objects, form events, DDE and remote content
// removed; embedded ODF objects (charts) rebuilt with the rest; a fresh manifest.
#pragma once

#include "corpus/corpus.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& odf_format();

// Adds the ODF module's test files under odf/.
void generate_odf_corpus(corpus::Writer& writer);

}  // namespace sanitize::formats
