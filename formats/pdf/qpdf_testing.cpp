#include "formats/pdf/qpdf_testing.hpp"

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <functional>

#include "formats/pdf/qpdf_document.hpp"

namespace sanitize::formats::pdf::testing {
namespace {

std::string rewrite(const std::string& pdf, const std::function<void(QPDFWriter&)>& configure) {
  QPDF document;
  document.processMemoryFile("case", pdf.data(), pdf.size());
  std::vector<std::uint8_t> out;
  VectorPipeline sink(out);
  QPDFWriter writer(document);
  writer.setOutputPipeline(&sink);
  writer.setStaticID(true);
  configure(writer);
  writer.write();
  return std::string(out.begin(), out.end());
}

std::string data_of(QPDFObjectHandle stream) {
  const auto buffer = stream.getStreamData(qpdf_dl_all);
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace

std::string with_object_streams(const std::string& pdf) {
  return rewrite(pdf, [](QPDFWriter& writer) { writer.setObjectStreamMode(qpdf_o_generate); });
}

std::string encrypted(const std::string& pdf, const std::string& user, const std::string& owner) {
  return rewrite(pdf, [&](QPDFWriter& writer) {
    writer.setStaticAesIV(true);
    writer.setR6EncryptionParameters(user.c_str(), owner.c_str(), true, false, false, true, true,
                                     false, qpdf_r3p_low, true);
  });
}

PdfFacts read_facts(const std::vector<std::uint8_t>& pdf) {
  QPDF document;
  document.processMemoryFile("output", reinterpret_cast<const char*>(pdf.data()), pdf.size());
  PdfFacts facts;
  facts.encrypted = document.isEncrypted();
  QPDFObjectHandle root = document.getRoot();
  std::vector<QPDFObjectHandle> pages = document.getAllPages();
  facts.pages = pages.size();
  for (QPDFObjectHandle& page : pages) {
    const auto box = page.getKey("/MediaBox").getArrayAsRectangle();
    facts.page_sizes.emplace_back(box.urx - box.llx, box.ury - box.lly);
  }
  QPDFObjectHandle open = root.getKey("/OpenAction");
  facts.has_open_action = !open.isNull();
  if (open.isDictionary()) {
    facts.open_action_type = open.getKey("/S").isName() ? open.getKey("/S").getName() : "";
    facts.open_action_has_next = open.hasKey("/Next");
  }
  if (!pages.empty()) {
    QPDFObjectHandle annots = pages[0].getKey("/Annots");
    for (int i = 0; annots.isArray() && i < annots.getArrayNItems(); ++i) {
      QPDFObjectHandle annot = annots.getArrayItem(i);
      QPDFObjectHandle action = annot.getKey("/A");
      facts.first_page_annotation_actions.push_back(
          action.isDictionary() && action.getKey("/S").isName() ? action.getKey("/S").getName()
                                                                : "");
      facts.first_page_annotation_contents.push_back(
          annot.getKey("/Contents").isString() ? annot.getKey("/Contents").getUTF8Value() : "");
    }
    QPDFObjectHandle contents = pages[0].getKey("/Contents");
    if (contents.isStream()) facts.first_page_content = data_of(contents);
  }
  QPDFObjectHandle form = root.getKey("/AcroForm");
  facts.acroform_has_sig_flags = form.isDictionary() && form.hasKey("/SigFlags");
  QPDFObjectHandle names = root.getKey("/Names");
  QPDFObjectHandle files = names.isDictionary() ? names.getKey("/EmbeddedFiles") : names;
  QPDFObjectHandle leaves = files.isDictionary() ? files.getKey("/Names") : files;
  for (int i = 0; leaves.isArray() && i + 1 < leaves.getArrayNItems(); i += 2) {
    QPDFObjectHandle stream = leaves.getArrayItem(i + 1).getKey("/EF").getKey("/F");
    facts.embedded_files.emplace_back(leaves.getArrayItem(i).getUTF8Value(),
                                      stream.isStream() ? data_of(stream) : "");
  }
  return facts;
}

}  // namespace sanitize::formats::pdf::testing
