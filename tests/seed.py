"""Addresses of the seed content, as readers reach it."""

STORY_000 = "/tin/viet-nam-va-hoa-ky-thuc-day-hop-tac-chien-luoc-trong-cac-linh-vuc-trong-diem/"
STORY_001 = (
    "/tin/bo-truong-nguyen-hong-dien-lam-viec-voi-lanh-dao-excelerate-energy-lockheed-martin"
    "-spacex-va-google-tai-hoa-ky/"
)
TRIP = "/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/"
