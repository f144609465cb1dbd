"""Uploaded documents are checked by what they are, not by their names, and against a size limit."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.services.errors import DomainError
from communities.services.uploads import checked_document

PDF = b"%PDF-1.4\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0" + b"0" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


@pytest.mark.parametrize("content,extension", [(PDF, "pdf"), (JPG, "jpg"), (PNG, "png")])
def test_the_type_comes_from_the_content(content, extension):
    checked = checked_document(SimpleUploadedFile("report.txt", content), max_mb=1)
    assert (checked.extension, checked.content, checked.name, checked.size) == (extension, content, "report.txt",
                                                                                 len(content))


def test_a_renamed_text_file_and_a_type_not_allowed_are_refused_naming_the_types():
    with pytest.raises(DomainError) as exc:
        checked_document(SimpleUploadedFile("scan.pdf", b"just text"), max_mb=1)
    assert exc.value.code == "file_type" and "PDF、JPG、PNG" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        checked_document(SimpleUploadedFile("scan.png", PNG), max_mb=1, allowed=("pdf", "jpg"))
    assert exc.value.code == "file_type" and "PDF、JPG" in str(exc.value.message)


def test_a_file_over_the_limit_is_refused_with_the_limit():
    with pytest.raises(DomainError) as exc:
        checked_document(SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)), max_mb=1)
    assert exc.value.code == "file_size" and "1 MB" in str(exc.value.message)
