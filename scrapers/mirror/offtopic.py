"""Articles without enforcement statistics: agency life, legal news, crime news.

The crawler's topic filter should skip them; truth() lists them with no facts. Some carry numbers that are
not enforcement figures (decree numbers, dates, terms, sums in a criminal case).
"""

from __future__ import annotations

import random

AGENCY_TITLES = [
    "{agency} tổ chức Hội nghị triển khai nhiệm vụ công tác năm {year}",
    "{agency} tập huấn nghiệp vụ cho đội ngũ Chấp hành viên, Thẩm tra viên",
    "Chi bộ {agency} tổ chức sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "{agency} hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Đoàn công tác của Bộ Tư pháp làm việc với {agency}",
    "{agency} tổ chức phát động phong trào thi đua cao điểm",
    "Công đoàn {agency} thăm hỏi, tặng quà gia đình chính sách",
    "{agency} ký kết quy chế phối hợp với Công an và Viện kiểm sát",
    "{agency} triển khai ứng dụng công nghệ thông tin trong quản lý, điều hành",
    "{agency} tổ chức cưỡng chế thi hành án bảo đảm an toàn, đúng quy định",
]
AGENCY_PARAS = [
    "Tham dự Hội nghị có đại diện lãnh đạo Ban Nội chính, Sở Tư pháp, Công an, Viện kiểm sát nhân dân "
    "và Tòa án nhân dân cùng toàn thể công chức, người lao động của {agency}.",
    "Phát biểu tại buổi làm việc, lãnh đạo {agency} nhấn mạnh yêu cầu nâng cao tinh thần trách nhiệm, siết "
    "chặt kỷ luật, kỷ cương hành chính, thực hiện nghiêm Luật Thi hành án dân sự và Nghị định số "
    "62/2015/NĐ-CP của Chính phủ.",
    "Hoạt động nhằm nâng cao nhận thức chính trị, bản lĩnh nghề nghiệp cho đội ngũ công chức, góp phần "
    "hoàn thành tốt nhiệm vụ chính trị được giao trong nhiệm kỳ 2020-2025.",
    "Buổi cưỡng chế diễn ra nhanh gọn, an toàn, đúng trình tự, thủ tục do pháp luật quy định, được "
    "chính quyền địa phương và nhân dân đồng tình, ủng hộ.",
    "Các đại biểu đã trao đổi nhiều kinh nghiệm thực tiễn trong công tác xác minh điều kiện thi hành án, "
    "kê biên, xử lý tài sản và giải quyết khiếu nại, tố cáo.",
    "Quy chế phối hợp quy định rõ trách nhiệm của từng cơ quan trong việc trao đổi thông tin, bảo vệ "
    "cưỡng chế và xử lý các vụ việc phức tạp, kéo dài.",
    "Chương trình được tổ chức vào ngày {day}/{month}/{year} với sự tham gia của đông đảo công chức, "
    "người lao động.",
]
NEWS_TITLES = [
    "Đề xuất sửa đổi, bổ sung một số điều của Luật {law}",
    "Khởi tố nhóm đối tượng lừa đảo chiếm đoạt tài sản qua mạng xã hội",
    "Xét xử vụ án vi phạm quy định về đấu thầu gây hậu quả nghiêm trọng",
    "Quốc hội thảo luận dự án Luật {law} (sửa đổi)",
    "Hướng dẫn mới về thủ tục đăng ký biện pháp bảo đảm",
    "Cảnh báo thủ đoạn giả danh cơ quan thi hành án để lừa đảo",
    "Bộ Tư pháp tổ chức Hội nghị trực tuyến phổ biến văn bản luật mới",
    "Tuyên truyền, phổ biến pháp luật cho đồng bào vùng sâu, vùng xa",
    "Bắt tạm giam Giám đốc công ty về tội trốn thuế",
    "Tranh chấp hợp đồng vay tài sản: tòa tuyên buộc trả nợ",
]
NEWS_PARAS = [
    "Theo cơ quan điều tra, các đối tượng đã chiếm đoạt số tiền hơn {money} tỷ đồng của nhiều người bị hại "
    "trước khi bị phát hiện, bắt giữ.",
    "Dự thảo được xây dựng nhằm thể chế hóa Nghị quyết số {nq}/NQ-TW, bảo đảm tính thống nhất, đồng bộ "
    "của hệ thống pháp luật.",
    "Tại phiên tòa, đại diện Viện kiểm sát đề nghị hội đồng xét xử tuyên phạt bị cáo từ {y1} đến {y2} năm tù.",
    "Người dân khi nhận được cuộc gọi tự xưng là cán bộ thi hành án yêu cầu chuyển tiền cần liên hệ ngay "
    "với cơ quan chức năng để được hướng dẫn.",
    "Văn bản có hiệu lực thi hành kể từ ngày {day}/{month}/{year}, thay thế Thông tư số {tt}/{year0}/TT-BTP.",
    "Nhiều ý kiến đề nghị cơ quan soạn thảo tiếp tục rà soát, đánh giá tác động của chính sách, bảo đảm "
    "tính khả thi khi áp dụng vào thực tiễn.",
    "Hội nghị được kết nối trực tuyến tới các điểm cầu tại địa phương với sự tham dự của cán bộ làm công "
    "tác pháp chế.",
]
LAWS = ["Thi hành án dân sự", "Đất đai", "Tố tụng dân sự", "Phá sản", "Đấu giá tài sản", "Công chứng"]


def agency_article(agency: str, year: int, rng: random.Random) -> tuple[str, list[str]]:
    title = rng.choice(AGENCY_TITLES).format(agency=agency, year=year)
    paras = rng.sample(AGENCY_PARAS, 3)
    fill = {"agency": agency, "year": year, "day": rng.randint(1, 28), "month": rng.randint(1, 12)}
    return title, [p.format(**fill) for p in paras]


def news_article(year: int, rng: random.Random) -> tuple[str, list[str]]:
    fill = {"law": rng.choice(LAWS), "money": rng.randint(2, 90), "nq": rng.randint(18, 66),
            "y1": rng.randint(3, 8), "day": rng.randint(1, 28), "month": rng.randint(1, 12),
            "year": year, "year0": year - rng.randint(2, 6), "tt": rng.randint(1, 20)}
    fill["y2"] = fill["y1"] + rng.randint(1, 4)
    title = rng.choice(NEWS_TITLES).format(**fill)
    paras = rng.sample(NEWS_PARAS, 3)
    return title, [p.format(**fill) for p in paras]
