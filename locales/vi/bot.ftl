# Tin nhắn của bot (không thuộc hướng dẫn). Văn bản thuần: bot tự thoát ký tự khi gửi.

language-prompt = Chọn ngôn ngữ · Xaiv hom lus · Choose your language
welcome-back = Chào mừng bạn quay lại. Bạn đang ở bước này:
stale-button = Nút đó thuộc màn hình cũ. Bạn đang ở đây:
use-buttons = Xin bấm một nút bên dưới. Cần người giúp thì bấm "🙋 Hỏi cán bộ xã".
warn-id-number =
    ⚠️ Đừng gửi số căn cước (CCCD) vào đây. Bot không cần và không lưu số này.
    Chỉ nhập số đó trong ứng dụng VNeID.
warn-phone-number =
    ⚠️ Đừng gửi số điện thoại vào đây. Bot không cần và không lưu số này.
    Chỉ nhập số đó trong ứng dụng VNeID.
warn-code =
    ⚠️ Đừng gửi mã OTP, mật khẩu hay passcode cho ai, kể cả công an, cán bộ xã hay bot này.
    Bot không lưu mã này.
staff-asked =
    🙋 Đã báo cán bộ xã. Một người của xã sẽ trả lời bạn ngay tại đây.
    Bạn cũng có thể đến bộ phận một cửa của xã.
progress = Bước { $current }/{ $total } · { $left ->
        [0] bước cuối
       *[other] còn { $left } bước
    }
btn-back = ◀ Quay lại
btn-ask-staff = 🙋 Hỏi cán bộ xã
forgotten = Đã xoá liên kết giữa bạn và các phiên hướng dẫn, cùng ngôn ngữ bạn chọn. Các số liệu ẩn danh vẫn được giữ. Gửi /start để bắt đầu lại.
try-again = Xin lỗi, hệ thống đang bận. Bot chưa ghi nhận tin vừa rồi: xin gửi lại sau ít phút.
busy-later = Xin lỗi, hệ thống đang bận. Tin vừa rồi của bạn sẽ được trả lời khi hệ thống hoạt động lại: không cần gửi lại.
help =
    Bot hướng dẫn bạn từng bước tạo tài khoản VNeID và đăng nhập Cổng Dịch vụ công.
    Bấm các nút bên dưới. Lệnh:
    /start: tiếp tục hướng dẫn
    /lang: đổi ngôn ngữ
    /settings: tiếng nói và hình ảnh, hoặc chỉ chữ
    /restart: bắt đầu lại từ đầu
    /forget: xoá dữ liệu của bạn
media-photo =
    ⚠️ Đừng gửi ảnh thẻ căn cước hay ảnh có mã số vào đây. Bot không lưu ảnh này.
    Bot chỉ hiểu các nút bấm bên dưới.
media-other = Bot chỉ hiểu các nút bấm và chữ ngắn. Xin bấm một nút bên dưới.
edited = Bot chỉ đọc tin nhắn mới, không đọc tin đã sửa. Xin bấm một nút bên dưới.
cmd-start = Tiếp tục hướng dẫn
cmd-lang = Đổi ngôn ngữ
cmd-help = Trợ giúp
cmd-restart = Bắt đầu lại
cmd-forget = Xoá dữ liệu của tôi
handoff-opened =
    🙋 Đã chuyển cho cán bộ xã. Một người của xã sẽ trả lời bạn ngay tại đây; bạn cứ viết hoặc gửi ảnh chụp màn hình lỗi.
    Đừng gửi số căn cước, mã OTP hay ảnh thẻ.
    Bộ phận một cửa: { $address }, giờ làm việc { $hours }.
handoff-active = Cán bộ xã đang giúp bạn: cứ viết vào đây. Muốn tiếp tục tự làm theo hướng dẫn thì bấm nút dưới.
handoff-photo = Đã gửi ảnh cho cán bộ. Nhớ: đừng bao giờ gửi ảnh thẻ căn cước hay ảnh có mã số.
handoff-number = Tin này không được chuyển cho cán bộ. Hãy mang thẻ đến bộ phận một cửa và đưa cán bộ xem trực tiếp.
handoff-late =
    Xin lỗi, cán bộ xã chưa trả lời được ngay. Tin của bạn vẫn được giữ, cán bộ sẽ trả lời tại đây.
    Bạn cũng có thể đến { $address }, giờ làm việc { $hours }.
handoff-closed = Cán bộ xã đã xong việc với bạn. Cảm ơn bạn!
btn-resume = ◀ Về hướng dẫn
staff-card =
    🆕 Ca #{ $code }
    Ngôn ngữ: { $language }
    Xã: { $commune }
    Đang ở bước: { $step } (đã qua { $steps } bước)
    Đã xong: { $done }
    Vấn đề đã chọn: { $problems }
    Thời gian trong hướng dẫn trước khi hỏi: { $minutes } phút
staff-taken = ✋ { $name } đã nhận ca.
staff-late = ⏳ Ca #{ $code } đã chờ { $minutes } phút mà chưa ai nhận. Người dân đã được báo giờ làm việc của bộ phận một cửa.
staff-closed = ✅ { $name } đã đóng ca ({ $outcome }).
staff-to-guide = ↩ { $name } đã đưa người dân về lại hướng dẫn ({ $outcome }).
staff-citizen-left = Người dân đã rời cuộc trò chuyện.
staff-only = Lệnh này chỉ dùng trong nhóm cán bộ của xã.
staff-case-expired = ⌛ Ca #{ $code } đã mở quá { $days } ngày nên đã đóng. Người dân quay lại hướng dẫn khi nhắn tiếp.
staff-citizen-erased = 🗑 Người dân của ca #{ $code } đã xoá dữ liệu của mình: ca đã đóng, chủ đề của ca và các tin trong đó đã được xoá.
staff-citizen-erased-keep = 🗑 Người dân của ca #{ $code } đã xoá dữ liệu của mình: ca đã đóng. Bot không xoá được các tin của ca ({ $reason }): xin cán bộ xoá chúng.
staff-no-topics = nhóm không có chủ đề
staff-report-refused = ⚠️ Không gửi được { $what } vào nhóm: Telegram từ chối ({ $reason }). Hãy cho bot quyền quản trị, hoặc bật quyền gửi tệp và ảnh trong Chỉnh sửa nhóm → Quyền.
report-file = tệp số liệu (Excel)
report-document = báo cáo (Word)
report-chart = biểu đồ
btn-take = ✋ Nhận ca
btn-created = ✅ Xong: đã tạo tài khoản
btn-not-created = ❌ Xong: chưa tạo được
btn-to-guide = ↩ Về hướng dẫn
btn-staff-level1 = VNeID mức 1
btn-staff-level2 = VNeID mức 2
btn-staff-portal = Đã đăng nhập Cổng DVC
btn-staff-child = Đã đăng ký cho trẻ em
btn-staff-referred = Đã hướng dẫn nơi làm tiếp
btn-cancel = Huỷ
assist-ask = Ghi người dân được giúp tại bộ phận một cửa ({ $question ->
        [0] chọn xã
        [1] chọn ngôn ngữ
        [2] chọn kết quả
       *[other] chọn việc cần làm
    }):
assist-done = ✅ Đã ghi: { $commune } · { $language } · { $outcome } · { $purpose }
relay-refused = Tin vừa rồi không chuyển được cho cán bộ (có thể tin đã bị xoá). Xin gửi lại, hoặc đến bộ phận một cửa của xã.
relay-refused-photo = Ảnh vừa rồi không chuyển được cho cán bộ. Xin mang đến bộ phận một cửa của xã và đưa cán bộ xem trực tiếp.
update-parked = Xin lỗi, bot không xử lý được tin vừa rồi. Xin thử lại, hoặc đến bộ phận một cửa của xã để được giúp.
slow-down = Bạn gửi nhiều tin cùng lúc quá. Bot chỉ trả lời tin mới nhất; xin gửi chậm lại một chút.

## The printed poster (dvc-onboard poster)

poster-title = Tạo tài khoản VNeID và Dịch vụ công, từng bước, trên Telegram
poster-what = Trợ lý hướng dẫn làm tài khoản VNeID mức 1, mức 2 và đăng nhập Cổng Dịch vụ công, bằng tiếng Việt hoặc tiếng Mông.
poster-how = Quét mã QR bằng camera điện thoại, mở Telegram, bấm "Bắt đầu".
poster-never = Trợ lý không bao giờ hỏi số căn cước, số điện thoại, mã OTP hay mật khẩu. Không ai được hỏi các mã này.

cmd-settings = Tiếng nói và hình ảnh
settings-with-media = 🔊 Bạn đang nhận tiếng nói và hình ảnh kèm theo chữ, ở các bước có sẵn. Muốn tiết kiệm dữ liệu di động thì chọn "Chỉ chữ".
settings-text-only = 📝 Bạn đang nhận chỉ chữ, không có tiếng nói và hình ảnh (tiết kiệm dữ liệu di động).
btn-text-only = 📝 Chỉ chữ (tiết kiệm dữ liệu)
btn-with-media = 🔊 Có tiếng nói và hình ảnh
chose-text-only = 📝 Đã chọn: chỉ chữ. Đổi lại bằng lệnh /settings.
chose-with-media = 🔊 Đã chọn: có tiếng nói và hình ảnh. Đổi lại bằng lệnh /settings.
btn-lang-text-only = 📝 Chỉ chữ·Ntawv xwb·Text only
btn-lang-with-media = ✅ Chỉ chữ·Ntawv xwb·Text only

staff-media-summary =
    🎙 Tiếng nói và hình ảnh theo từng bước ({ $steps } bước). Số bước có riêng theo ngôn ngữ:
    { $coverage }
    Chọn một phần của hướng dẫn, rồi một bước, để nghe, xem, ghi giọng mới hoặc gắn hình.
staff-media-section = Phần { $section }: chọn một bước. 🔊 giọng nói, 🖼 hình, theo ngôn ngữ đã có.
staff-media-step =
    Bước { $step }:

    { $text }

    Chọn ngôn ngữ để ghi giọng hoặc gắn hình:
staff-media-prompt =
    Bước { $step } · { $language }
    Đọc to đoạn dưới đây, rồi TRẢ LỜI tin nhắn này bằng một tin nhắn thoại (giữ nút micro để ghi), hoặc bằng một ảnh, để gắn vào bước này. Bản mới thay bản cũ ngay cho mọi công dân.

    { $text }

    🔊 Giọng nói: { $voice }
    🖼 Hình: { $picture }
staff-media-none = chưa có
staff-media-from-staff = của xã
staff-media-shipped = có sẵn trong bot ({ $name })
staff-media-fallback = chưa có; công dân nhận bản tiếng Việt
staff-media-attached = ✅ Đã gắn { $kind } ({ $language }) cho bước { $step }. Công dân nhận bản này từ bây giờ.
staff-media-removed = 🗑 Đã xoá { $kind } của xã ({ $language }) ở bước { $step }.
staff-media-nothing = Bước { $step } chưa có { $kind } bằng { $language }.
staff-media-wrong-kind = Chỉ gắn được tin nhắn thoại (giữ nút micro để ghi) hoặc ảnh (gửi dạng ảnh, không phải tệp). Hãy trả lời lại tin nhắn của bước.
staff-media-kind-voice = giọng nói
staff-media-kind-picture = hình ảnh
btn-media-listen = ▶ Nghe giọng nói
btn-media-see = 🖼 Xem hình
btn-media-remove-voice = 🗑 Xoá giọng của xã
btn-media-remove-picture = 🗑 Xoá hình của xã
btn-media-back = ◀ Quay lại
