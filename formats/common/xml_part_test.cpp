#include "formats/common/xml_part.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "sanitize/format.hpp"

namespace xml = sanitize::formats::xml;

namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string round_trip(std::string_view text) {
  auto part = xml::parse(bytes_of(text), "part.xml");
  auto out = xml::serialize(part->document);
  return {out.begin(), out.end()};
}

constexpr std::string_view declaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

}  // namespace

TEST_CASE("a DOCTYPE with entities and processing instructions do not survive") {
  std::string_view input =
      "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<?mso-application progid=\"Word.Document\"?><a c='&x;'>t&amp;&x;<?pi in?></a>";
  auto part = xml::parse(bytes_of(input), "part.xml");
  CHECK(part->had_doctype);
  CHECK(part->processing_instructions == 2);
  auto out = xml::serialize(part->document);
  CHECK(std::string(out.begin(), out.end()) ==
        std::string(declaration) + "<a c=\"&amp;x;\">t&amp;&amp;x;</a>");
}

TEST_CASE("whitespace-only text and CDATA are content and are kept") {
  CHECK(round_trip("<w:t xml:space=\"preserve\"> </w:t>") ==
        std::string(declaration) + "<w:t xml:space=\"preserve\"> </w:t>");
  CHECK(round_trip("<a><![CDATA[x<y]]></a>") ==
        std::string(declaration) + "<a><![CDATA[x<y]]></a>");
}

TEST_CASE("UTF-16 parts come out as UTF-8") {
  std::u16string text = u"\ufeff<a>\u65e5\u672c</a>";
  std::span<const std::uint8_t> raw(reinterpret_cast<const std::uint8_t*>(text.data()),
                                    text.size() * 2);
  auto part = xml::parse(raw, "part.xml");
  auto out = xml::serialize(part->document);
  CHECK(std::string(out.begin(), out.end()) ==
        std::string(declaration) + "<a>\xe6\x97\xa5\xe6\x9c\xac</a>");
}

TEST_CASE("malformed, empty and too deep parts block as corrupt") {
  for (std::string_view bad : {"<a><b></a>", "", "just text", "<a>&undefined;</a"}) {
    CAPTURE(bad);
    try {
      xml::parse(bytes_of(bad), "word/document.xml");
      FAIL("parsed");
    } catch (const sanitize::Blocked& blocked) {
      CHECK(blocked.reason() == sanitize::BlockReason::corrupt);
      CHECK(blocked.detail().find("word/document.xml") != std::string::npos);
    }
  }
  std::string deep;
  for (unsigned i = 0; i <= xml::max_depth; ++i) deep += "<a>";
  deep += "x";
  for (unsigned i = 0; i <= xml::max_depth; ++i) deep += "</a>";
  CHECK_THROWS_AS(xml::parse(bytes_of(deep), "deep.xml"), sanitize::Blocked);
  std::string shallow;
  for (unsigned i = 1; i < xml::max_depth; ++i) shallow += "<a>";
  for (unsigned i = 1; i < xml::max_depth; ++i) shallow += "</a>";
  CHECK_NOTHROW(xml::parse(bytes_of(shallow), "shallow.xml"));
}

TEST_CASE("names are matched by namespace, not by prefix") {
  auto part = xml::parse(
      bytes_of("<x:document xmlns:x=\"urn:w\" xmlns:r=\"urn:r\"><x:body xmlns=\"urn:d\">"
               "<p r:id=\"rId1\" id=\"2\" xml:space=\"preserve\"/></x:body></x:document>"),
      "part.xml");
  auto root = part->document.document_element();
  CHECK(xml::element_name(root) == xml::ExpandedName{"urn:w", "document"});
  auto p = root.first_child().first_child();
  CHECK(xml::element_name(p) == xml::ExpandedName{"urn:d", "p"});
  CHECK(std::string_view(xml::find_attribute(p, "urn:r", "id").value()) == "rId1");
  CHECK(std::string_view(xml::find_attribute(p, "", "id").value()) == "2");
  CHECK(xml::find_attribute(p, "http://www.w3.org/XML/1998/namespace", "space"));
  CHECK_FALSE(xml::find_attribute(p, "urn:w", "id"));
}

TEST_CASE("the three ways to expanded names agree, with declarations on the root or deeper") {
  struct Case {
    std::string_view text;
    unsigned elements;
  };
  for (const Case& sample : {
           // Every namespace on the root, as Office writes.
           Case{"<x:doc xmlns:x=\"urn:x\" xmlns:r=\"urn:r\" xmlns=\"urn:d\"><x:body><p r:id=\"1\" "
                "id=\"2\" xml:lang=\"ja\"/><x:p/></x:body></x:doc>",
                4},
           // A prefix rebound deeper, a default namespace set and then undone.
           Case{"<x:doc xmlns:x=\"urn:x\"><x:body xmlns:x=\"urn:other\" xmlns=\"urn:d\"><x:p "
                "x:id=\"1\"><q xmlns=\"\" a=\"b\"/></x:p></x:body><x:end/></x:doc>",
                5},
       }) {
    CAPTURE(sample.text);
    auto part = xml::parse(bytes_of(sample.text), "part.xml");
    const pugi::xml_node root = part->document.document_element();
    const xml::PartNames names(root);
    unsigned elements = 0;
    xml::walk(root, [&](pugi::xml_node element, const xml::ExpandedName& walked,
                        const xml::Scope& scope) {
      ++elements;
      CHECK(walked == xml::element_name(element));
      CHECK(names.element(element) == xml::element_name(element));
      for (pugi::xml_attribute attribute : element.attributes()) {
        CHECK(scope.attribute_name(attribute) == xml::attribute_name(element, attribute));
        CHECK(names.attribute(element, attribute) == xml::attribute_name(element, attribute));
      }
    });
    CHECK(elements == sample.elements);
  }
  auto rebound = xml::parse(bytes_of("<x:doc xmlns:x=\"urn:x\"><x:body xmlns:x=\"urn:other\"/>"
                                     "</x:doc>"),
                            "part.xml");
  const pugi::xml_node body = rebound->document.document_element().first_child();
  CHECK(xml::PartNames(rebound->document.document_element()).element(body) ==
        xml::ExpandedName{"urn:other", "body"});
}
